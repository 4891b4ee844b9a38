// Keys in PKCS#11 tokens (a USB token, an HSM, SoftHSM2 in tests) through
// libp11's own API, the same code for all of them. A token key is unlocked
// for one use: LoadTokenKey logs in with the person's PIN and hands back a Key
// whose lease logs out when the key is freed, so every signature needs its
// PIN again. The private key never leaves the token: libp11's EVP_PKEY signs
// through it.
//
// Lockout after repeated wrong PINs: real tokens lock the PIN themselves
// (CKR_PIN_LOCKED, mapped to "pin_locked"); the node also counts a person's
// failures ("wrong_pin") and stops trying, which is all SoftHSM2 gets.
#include <libp11.h>
#include <openssl/err.h>

#include <charconv>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>

#include "lib/pki/openssl_util.h"

namespace chancery::pki::internal {
namespace {

// PKCS#11 return values (pkcs11t.h; libp11 puts them in its errors' reason).
constexpr int kCkrPinIncorrect = 0xA0, kCkrPinInvalid = 0xA1, kCkrPinLenRange = 0xA2,
              kCkrPinLocked = 0xA4;

using Attributes = std::map<std::string, std::string, std::less<>>;

// An RFC 7512 URI's path attributes, percent-decoded:
// "pkcs11:token=node;object=seal;id=%5e;type=private". The query (pin-value,
// module-path) is not ours: the PIN and module come with the KeyRef.
Result<Attributes> ParseUri(std::string_view uri) {
  constexpr std::string_view kScheme = "pkcs11:";
  if (!uri.starts_with(kScheme)) return Bad("key", "Not a PKCS#11 URI (RFC 7512).");
  uri.remove_prefix(kScheme.size());
  uri = uri.substr(0, uri.find('?'));
  Attributes attrs;
  while (!uri.empty()) {
    const std::string_view attr = uri.substr(0, uri.find(';'));
    uri.remove_prefix(std::min(uri.size(), attr.size() + 1));
    const std::size_t eq = attr.find('=');
    if (eq == std::string_view::npos) return Bad("key", "A PKCS#11 URI attribute without a value.");
    std::string value;
    for (std::size_t i = eq + 1; i < attr.size(); ++i) {
      if (attr[i] != '%') {
        value += attr[i];
        continue;
      }
      unsigned char byte = 0;
      const char* hex = attr.data() + i + 1;
      if (i + 2 >= attr.size() || std::from_chars(hex, hex + 2, byte, 16).ptr != hex + 2) {
        return Bad("key", "A bad percent-encoding in the PKCS#11 URI.");
      }
      value += static_cast<char>(byte);
      i += 2;
    }
    attrs[std::string(attr.substr(0, eq))] = std::move(value);
  }
  return attrs;
}

// Whether `value` is what the URI asks for `name` (anything, if it asks nothing).
bool Matches(const Attributes& attrs, std::string_view name, const char* value) {
  const auto it = attrs.find(name);
  return it == attrs.end() || (value && it->second == value);
}

Error NotInToken(std::string_view what) {
  ERR_clear_error();
  return Error::Invalid("key", "not_in_token", std::string(what));
}

// A module, loaded once for the process: its slots, and which of them are in
// use (by slot id). The slot list is only enumerated again while no slot is in
// use, so a lease's PKCS11_SLOT* stays valid.
struct Module {
  std::mutex mu;
  std::condition_variable freed;
  PKCS11_CTX* ctx = nullptr;
  PKCS11_SLOT* slots = nullptr;
  unsigned int count = 0;
  std::set<unsigned long> busy, opened;
};

Result<Module*> LoadModule(const std::string& path) {
  // Never destroyed: modules stay loaded until the process ends (and stay
  // reachable for LeakSanitizer at exit).
  static std::mutex mu;
  static auto& modules = *new std::map<std::string, std::unique_ptr<Module>>;
  std::lock_guard lock(mu);
  if (auto it = modules.find(path); it != modules.end()) return it->second.get();
  PKCS11_CTX* ctx = PKCS11_CTX_new();
  if (!ctx || PKCS11_CTX_load(ctx, path.c_str()) != 0) {
    if (ctx) PKCS11_CTX_free(ctx);
    return MakeError(ErrorCode::kUnavailable,
                     "The token's module \"" + path + "\" did not load: " + OpenSslErrors());
  }
  auto& module = modules[path] = std::make_unique<Module>();
  module->ctx = ctx;
  return module.get();
}

PKCS11_SLOT* FindSlot(const Module& m, const Attributes& attrs) {
  for (unsigned int i = 0; i < m.count; ++i) {
    const PKCS11_TOKEN* t = m.slots[i].token;
    if (t && t->initialized && Matches(attrs, "token", t->label) &&
        Matches(attrs, "manufacturer", t->manufacturer) && Matches(attrs, "model", t->model) &&
        Matches(attrs, "serial", t->serialnr)) {
      return &m.slots[i];
    }
  }
  return nullptr;
}

// One use of a slot: logged out (if logged in) and handed to the next caller
// when the last Key holding it is freed.
struct Lease {
  Module* module;
  PKCS11_SLOT* slot;
  unsigned long id;
  bool logged_in = false;

  Lease(Module* m, PKCS11_SLOT* s, unsigned long i) : module(m), slot(s), id(i) {}
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() {
    if (logged_in) PKCS11_logout(slot);  // also drops libp11's cached keys
    ERR_clear_error();
    std::lock_guard lock(module->mu);
    module->busy.erase(id);
    module->freed.notify_all();
  }
};

// A refused login in words: the reason of libp11's error is the CKR_ value.
Error LoginError() {
  const unsigned long e = ERR_peek_last_error();
  const int reason = ERR_GET_LIB(e) == ERR_get_CKR_code() ? ERR_GET_REASON(e) : 0;
  if (reason == kCkrPinLocked) {
    ERR_clear_error();
    return Error::Invalid("pin", "pin_locked", "The PIN is locked after too many wrong tries.");
  }
  if (reason == kCkrPinIncorrect || reason == kCkrPinInvalid || reason == kCkrPinLenRange) {
    ERR_clear_error();
    return Error::Invalid("pin", "wrong_pin", "The PIN was refused.");
  }
  return MakeError(ErrorCode::kUnavailable, "The token refused the login: " + OpenSslErrors());
}

}  // namespace

Result<Key> LoadTokenKey(const std::string& uri, const std::string& module,
                         const std::string& pin) {
  CHY_TRY(Attributes attrs, ParseUri(uri));
  if (!Matches(attrs, "type", "private")) return NotInToken("The URI names no private key.");
  if (!attrs.contains("object") && !attrs.contains("id")) {
    return Bad("key", "The PKCS#11 URI names no key (object= or id=).");
  }
  CHY_TRY(Module * m, LoadModule(module));

  // Take the token's slot, waiting while another use holds it.
  std::unique_lock lock(m->mu);
  PKCS11_SLOT* slot = nullptr;
  for (;;) {
    slot = FindSlot(*m, attrs);
    if (slot && !m->busy.contains(PKCS11_get_slotid_from_slot(slot))) break;
    if (!slot && m->busy.empty()) {  // new, or plugged in since: enumerate the slots afresh
      // (not PKCS11_update_slots: with a list given, libp11 0.4.12 crashed in it here)
      if (m->slots) PKCS11_release_all_slots(m->ctx, m->slots, m->count);
      m->slots = nullptr;
      m->count = 0;
      m->opened.clear();
      if (PKCS11_enumerate_slots(m->ctx, &m->slots, &m->count) != 0) {
        return MakeError(ErrorCode::kUnavailable, "Listing the token slots: " + OpenSslErrors());
      }
      if (!(slot = FindSlot(*m, attrs))) return NotInToken("No such token.");
      break;
    }
    m->freed.wait(lock);
  }
  const unsigned long id = PKCS11_get_slotid_from_slot(slot);
  if (m->opened.insert(id).second && PKCS11_open_session(slot, 0) != 0) {
    m->opened.erase(id);
    return MakeError(ErrorCode::kUnavailable, "Opening a token session: " + OpenSslErrors());
  }
  m->busy.insert(id);
  lock.unlock();
  auto lease = std::make_shared<Lease>(m, slot, id);

  // Log in with this PIN. A login left over would let any PIN sign: refuse.
  int still_in = 0;
  if (PKCS11_is_logged_in(slot, 0, &still_in) == 0 && still_in) {
    return MakeError(ErrorCode::kInternal, "The token is still unlocked from an earlier use.");
  }
  // A token with its own PIN pad (protected authentication path) takes no PIN.
  if (PKCS11_login(slot, 0, slot->token->secureLogin ? nullptr : pin.c_str()) != 0) {
    return LoginError();
  }
  lease->logged_in = true;

  // The private key by label and/or id (private objects are listed once logged in).
  PKCS11_KEY* keys = nullptr;
  unsigned int n = 0;
  if (PKCS11_enumerate_keys(slot->token, &keys, &n) != 0) {
    return MakeError(ErrorCode::kUnavailable, "Listing the token's keys: " + OpenSslErrors());
  }
  const auto object = attrs.find("object"), key_id = attrs.find("id");
  for (unsigned int i = 0; i < n; ++i) {
    const PKCS11_KEY& k = keys[i];
    const std::string_view k_id(reinterpret_cast<const char*>(k.id), k.id ? k.id_len : 0);
    if (!k.isPrivate || (object != attrs.end() && (!k.label || object->second != k.label)) ||
        (key_id != attrs.end() && key_id->second != k_id)) {
      continue;
    }
    Key key(PKCS11_get_private_key(&keys[i]), KeyDeleter{lease});
    if (!key)
      return MakeError(ErrorCode::kUnavailable, "Reading the token key: " + OpenSslErrors());
    return key;
  }
  return NotInToken("No such key in the token.");
}

}  // namespace chancery::pki::internal
