// tests/mail/mail_messages.h — small hand-written messages and mboxes for the mail tests.
#pragma once

#include <string>

namespace trove::ingest::testing {

inline std::string message(const std::string& id, const std::string& subject,
                           const std::string& body, const std::string& extra_headers = "") {
  std::string m =
      "From: Ada Lovelace <ada@example.org>\n"
      "To: Alan Turing <alan@example.com>\n"
      "Subject: " +
      subject +
      "\n"
      "Date: Wed, 11 Mar 2026 09:30:00 +0000\n";
  if (!id.empty()) m += "Message-ID: <" + id + ">\n";
  m += extra_headers;
  m += "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" + body + "\n";
  return m;
}

inline std::string mbox_entry(const std::string& msg) {
  return "From ada@example.org Wed Mar 11 09:30:00 2026\n" + msg + "\n";
}

}  // namespace trove::ingest::testing
