// cli/printable.h — text from documents and file names made safe for a terminal.
//
// A file name or a passage can hold anything: ESC sequences that recolour or retitle
// the terminal, carriage returns that overwrite what was printed, bytes that are not
// UTF-8. Everything trove prints that it did not write itself goes through
// printable(): valid UTF-8 passes unchanged; C0 controls, DEL and the C1 controls
// (U+0080..U+009F, which some terminals obey) become \xNN (\t, \n, \r as such), and
// each byte of invalid UTF-8 becomes \xNN, so the output names the file exactly and
// can never drive the terminal. --json output escapes through cli/json.h instead.
#pragma once

#include <string>
#include <string_view>

namespace trove::cli {

std::string printable(std::string_view text);

}  // namespace trove::cli
