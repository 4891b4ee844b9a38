// What every module's use cases share — the acting person, the node-wide
// configuration, a document's input and an action's, a download — and the
// Core every module's service is built on. Each module's own inputs, results
// and settings are in its service.h (src/modules/<name>/); the HTTP handlers
// and the CLI call those services and nothing below them.
//
// Every operation takes the acting user (`Actor`), checks role, unit scope
// and clearance itself, and does its writes in one store transaction that also
// appends the audit record, so a refused or failed request leaves the store as
// it was. A document the actor may not read (outside their units, or above
// their clearance) is reported exactly like a missing one (kNotFound), so no
// answer reveals that a classified document exists; kForbidden is kept for
// actions on documents the actor can see but may not take.
//
// Thread safety: one service object per module serves all threads; they hold
// no mutable state of their own beyond what the store and the injected
// effects hold, and locked caches (opened signing keys, the password gate).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/calendar.h"
#include "core/log.h"
#include "core/model.h"
#include "core/page.h"
#include "core/result.h"
#include "core/world.h"
#include "lib/blob/blob_store.h"
#include "lib/extract/extract.h"
#include "modules/documents/store.h"
#include "modules/org/store.h"
#include "store/store.h"

namespace chancery::services {

// What every module knows of its node: its name, its agency and its scratch
// folder. Each module's own settings are in its service.h (OrgSettings,
// SignatureSettings, DocumentSettings, ExchangeSettings), read from the
// node's chancery.toml by src/app/node.cc.
struct Config {
  std::string node_name = "Chancery";
  std::string agency_code;  // this node's agency, e.g. "000.00.01.H08"
  std::string temp_dir = "/tmp";
};

// The acting, authenticated person.
using Actor = User;

struct DocumentInput {  // fields a draft or an incoming registration may carry
  std::optional<std::string> type_code;
  std::optional<std::string> subject;
  std::optional<Urgency> urgency;
  std::optional<Classification> classification;
  std::optional<bool> legal_normative;
  std::optional<std::string> signer_name;
  std::optional<std::string> signer_position;
  std::optional<int> page_count;
  std::optional<int> copies;
  std::optional<std::vector<Id>> recipient_unit_ids;
  std::optional<std::vector<std::string>> recipient_agency_codes;  // peers in the directory
  std::optional<Id> reply_to_id;
  std::optional<Id> replaces_id;
  std::optional<Id> corrects_id;
  std::optional<Date> deadline;
  std::optional<std::string> notes;
  std::optional<Id> unit_id;
  // Incoming only.
  std::optional<std::string> issuer_name;
  std::optional<std::string> original_number_symbol;
  std::optional<Date> original_date;
  std::optional<std::string> scan_sha256;  // an uploaded blob: the scanned paper
  std::optional<std::string> scan_file_name;
  // Why a document already registered under this number/symbol from this
  // issuer is registered again; without it such a registration is refused.
  std::optional<std::string> duplicate_reason;
};

struct ActionInput {
  std::string pin;      // sign, seal: unlocks the signer's key (never stored or logged)
  std::string comment;  // send_back, approve, ...
  std::string reason;   // return, recall (<= 1000 characters)
  // assign
  std::optional<Id> lead_unit_id;
  std::optional<Id> lead_user_id;
  std::vector<Id> supporting_unit_ids;
  std::optional<int> deadline_working_days;
  std::optional<Date> deadline;
  std::string directive;
  std::optional<Id> parent_assignment_id;
  // complete
  std::optional<Id> reply_document_id;
  // file
  std::optional<Id> record_id;
  std::optional<std::int64_t> expected_version;  // If-Match, when given
};

struct Download {
  std::string sha256;
  std::string file_name;
  std::string content_type;
  std::uint64_t size = 0;
  std::string path;  // file to stream; empty when `bytes` holds the content
  std::string bytes;
};

// The node's console (`chancery init`, `demo`, operators' commands): actor
// id 0, every role, top clearance. Whoever runs the binary on the node's
// folder holds the machine; people act through the API under four eyes.
inline Actor ConsoleOperator(Id unit_id = 0) {
  Actor u;
  u.id = 0;
  u.username = "system";
  u.unit_id = unit_id;
  u.roles = kRoleAdmin | kRoleClerk | kRoleLeader | kRoleSpecialist | kRoleSecurity;
  u.clearance = Classification::kTopSecret;
  return u;
}

// What every module's service shares: the store, the blobs, the injected
// effects (clock, randomness, calendar), the configuration, and the rules
// every module applies the same way — the actor's unit scope, the audit
// record in the same transaction, and the one way to read a document.
// Module services (src/modules/<name>/service.h) derive from it; src/app
// builds one Core and passes it to each.
class Core {
 public:
  Core(store::Store& store, blob::BlobStore& blobs, const Clock& clock, Random& random,
       const WorkCalendar& calendar, Config config, Logger& logger = NullLogger())
      : store_(store),
        blobs_(blobs),
        clock_(clock),
        random_(random),
        calendar_(calendar),
        config_(std::move(config)),
        logger_(logger) {}

  const Config& config() const { return config_; }
  const WorkCalendar& calendar() const { return calendar_; }

  // How a file from outside becomes text (lib/extract): in this process by
  // default (tests); the node reads files in a child process with limits
  // (extract::TextInChild), set before the module services are made.
  using TextReader = std::function<Result<std::string>(std::string_view bytes)>;
  void set_text_reader(TextReader reader) { text_reader_ = std::move(reader); }
  // Called when a file's text is queued, to wake the node's background
  // reader (app/serve.cc); tests call ReadQueuedFileTexts themselves.
  void set_on_text_queued(std::function<void()> wake) { on_text_queued_ = std::move(wake); }
  // Reads up to `max` queued files' text, oldest first, each in its own
  // transaction that also puts again the entries of the documents holding
  // it. Returns how many were read; an error only when the reader itself
  // could not run (the rest stay queued for the next round).
  Result<int> ReadQueuedFileTexts(int max);
  Date Today() const { return VietnamDate(clock_.Now()); }

 protected:
  struct Scope {            // the units an actor reaches
    std::vector<Id> reach;  // the actor's unit and every unit below it, sorted
    bool Reaches(Id unit) const { return std::binary_search(reach.begin(), reach.end(), unit); }
  };
  Result<Scope> ScopeOf(store::Tx& tx, const Actor& actor);
  // A write whose failure must not fail the request it serves (a refusal's
  // quarantine row, an attempt no longer counted): logged as `event`, never
  // silently dropped.
  void LogIfFailed(const Status& s, std::string_view event) {
    if (!s.ok()) logger_.Log(LogLevel::kError, event, {{"error", s.error().message}});
  }
  Status Audit(store::Tx& tx, const Actor* actor, std::string_view action,
               std::string_view object_type, std::optional<Id> object_id,
               const std::string& details_json);
  Result<Document> ReadableDocument(store::Tx& tx, const Actor& actor, Id id);
  // Every read of one document's content or metadata goes through here: the
  // visibility rule (404 when hidden), then `read` in the same transaction,
  // and for a classified document a `document.read` audit record naming
  // `purpose` ("detail", "timeline", "exchange", "edxml", "file") written in
  // that transaction too, so no classified read goes unrecorded.
  using DocumentReader = std::function<Status(store::Tx&, const Document&)>;
  Status ReadDocument(const Actor& actor, Id id, std::string_view purpose,
                      const DocumentReader& read, const std::string& details_json = "");
  Result<Id> IssuingUnitOf(store::Tx& tx, Id unit_id);
  // Queues, in the transaction that stores a file, the reading of its text
  // once per content into file_texts, off the request: a PDF or DOCX (read
  // from its bytes; anything else has none) gets a `pending` row unless its
  // content has one. The reader (ReadQueuedFileTexts, in a child process on
  // a node) then puts the entries of the documents holding it again.
  // WakeTextReader() once that transaction has committed.
  Status QueueFileText(store::Tx& tx, const std::string& sha256, std::string_view bytes);
  void WakeTextReader() const {
    if (on_text_queued_) on_text_queued_();
  }
  // Reads now those of these contents still queued (an issuing that needs
  // the text in its own transaction).
  Status ReadFileTextsNow(const std::vector<std::string>& sha256s);

  store::Store& store_;
  blob::BlobStore& blobs_;
  const Clock& clock_;
  Random& random_;
  const WorkCalendar& calendar_;
  Config config_;
  Logger& logger_;
  TextReader text_reader_ = [](std::string_view bytes) { return extract::Text(bytes); };
  std::function<void()> on_text_queued_;

 private:
  Status ReadFileText(const std::string& sha256);
};

}  // namespace chancery::services
