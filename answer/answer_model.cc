// answer/answer_model.cc — see answer_model.h.
#include "answer/answer_model.h"

#include <filesystem>

namespace trove::answer {

AnswerModel::AnswerModel(DecoderModel model, std::unique_ptr<Tokenizer> tok, ChatFormat chat,
                         std::string path)
    : model_(std::move(model)),
      tokenizer_(std::move(tok)),
      chat_(std::move(chat)),
      path_(std::move(path)),
      name_(std::filesystem::path(path_).filename().string()) {}

Result<std::shared_ptr<AnswerModel>> AnswerModel::open(const std::string& path) {
  auto model = DecoderModel::open(path);
  if (!model.ok()) return model.error();
  auto tok = Tokenizer::from_gguf(model->gguf());
  if (!tok.ok()) return tok.error();
  ChatFormat chat = ChatFormat::from_gguf(model->gguf());
  return std::make_shared<AnswerModel>(std::move(*model), std::move(*tok), std::move(chat), path);
}

Result<AnswerModel::Turn> AnswerModel::take_turn(int max_waiting) {
  std::unique_lock<std::mutex> lock(mu_);
  if (busy_ && waiting_.load() >= max_waiting) {
    return make_error("the answer model is busy (" + std::to_string(waiting_.load()) +
                      " questions waiting); try again shortly");
  }
  ++waiting_;
  cv_.wait(lock, [&] { return !busy_; });
  --waiting_;
  busy_ = true;
  return Turn(this);
}

AnswerModel::Turn::~Turn() {
  if (!m_) return;
  {
    std::lock_guard<std::mutex> lock(m_->mu_);
    m_->busy_ = false;
  }
  m_->cv_.notify_one();
}

}  // namespace trove::answer
