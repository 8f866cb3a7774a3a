// answer/answer_model.h — an answer model loaded once and shared by every request.
//
//   auto m = answer::AnswerModel::open("/models/qwen.gguf");
//   answer::AnswerOptions o;  o.model_handle = *m;   // reused by every answer() call
//
// Loading maps the GGUF file and builds its tokenizer and chat format; a server does
// it once per process. Generation is CPU-bound and already uses every core, so one
// generation runs at a time per model: answer() takes the model's turn, and a request
// that would wait behind more than max_waiting others is refused ("busy") instead of
// queueing without bound.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "core/result.h"
#include "generate/chat_format.h"
#include "generate/model.h"
#include "generate/tokenizer.h"

namespace trove::answer {

class AnswerModel {
 public:
  static Result<std::shared_ptr<AnswerModel>> open(const std::string& path);

  const DecoderModel& model() const { return model_; }
  const Tokenizer& tokenizer() const { return *tokenizer_; }
  const ChatFormat& chat() const { return chat_; }
  const std::string& name() const { return name_; }  // file name, for reports
  const std::string& path() const { return path_; }

  // Turns at the model: one holder at a time; waiters are woken one by one.
  class Turn {
   public:
    Turn(Turn&& o) noexcept : m_(o.m_) { o.m_ = nullptr; }
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    Turn& operator=(Turn&&) = delete;
    ~Turn();

   private:
    friend class AnswerModel;
    explicit Turn(AnswerModel* m) : m_(m) {}
    AnswerModel* m_;
  };
  // Waits for the model; fails at once when max_waiting callers are already waiting.
  Result<Turn> take_turn(int max_waiting);
  int waiting() const { return waiting_.load(); }

  AnswerModel(DecoderModel model, std::unique_ptr<Tokenizer> tok, ChatFormat chat,
              std::string path);

 private:
  DecoderModel model_;
  std::unique_ptr<Tokenizer> tokenizer_;
  ChatFormat chat_;
  std::string path_, name_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool busy_ = false;
  std::atomic<int> waiting_{0};
};

}  // namespace trove::answer
