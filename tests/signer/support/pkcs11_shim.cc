// The counting, fault-injecting PKCS#11 module described in pkcs11_shim.h. Built as a shared
// library; SoftHSM2 (EINVOICE_SHIM_REAL_MODULE) is dlopen'ed on the first C_GetFunctionList.
#include "tests/signer/support/pkcs11_shim.h"

#include <dlfcn.h>

#include <deque>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <utility>

namespace einvoice::testing {
namespace {

Pkcs11ShimState g_state;
CK_FUNCTION_LIST g_wrapped;
std::once_flag g_once;
CK_RV g_load_result = CKR_GENERAL_ERROR;

std::mutex g_mu;
// (session, source object) pairs copied through the shim, and each live copy's handle with the
// session that made it. A copy dies with its session, and the module may hand its handle
// number to another object later, so both forget a session's copies when it closes, and
// everything when the module is finalised.
std::set<std::pair<CK_SESSION_HANDLE, CK_OBJECT_HANDLE>> g_copied;
std::map<CK_OBJECT_HANDLE, CK_SESSION_HANDLE> g_copies;
// Per session: the reordered results of the current search, not yet returned.
std::map<CK_SESSION_HANDLE, std::deque<CK_OBJECT_HANDLE>> g_found;

CK_RV OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, void* application, CK_NOTIFY notify,
                  CK_SESSION_HANDLE* session) {
  CK_RV rv = g_state.real->C_OpenSession(slot, flags, application, notify, session);
  if (rv == CKR_OK) ++g_state.sessions_opened;
  return rv;
}

CK_RV CloseSession(CK_SESSION_HANDLE session) {
  CK_RV rv = g_state.real->C_CloseSession(session);
  if (rv == CKR_OK) {
    ++g_state.sessions_closed;
    std::lock_guard<std::mutex> lock(g_mu);
    for (auto it = g_copied.begin(); it != g_copied.end();) {
      it = it->first == session ? g_copied.erase(it) : std::next(it);
    }
    for (auto it = g_copies.begin(); it != g_copies.end();) {
      it = it->second == session ? g_copies.erase(it) : std::next(it);
    }
  }
  return rv;
}

CK_RV DestroyObject(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object) {
  CK_RV rv = g_state.real->C_DestroyObject(session, object);
  if (rv == CKR_OK) {
    std::lock_guard<std::mutex> lock(g_mu);
    g_copies.erase(object);
  }
  return rv;
}

CK_RV Finalize(void* reserved) {
  CK_RV rv = g_state.real->C_Finalize(reserved);
  std::lock_guard<std::mutex> lock(g_mu);
  g_copied.clear();
  g_copies.clear();
  g_found.clear();
  return rv;
}

CK_RV CopyObject(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE* templ,
                 CK_ULONG count, CK_OBJECT_HANDLE* copy) {
  ++g_state.copy_calls;
  int times = g_state.copy_result_times.load();
  while (times != 0) {
    if (times < 0 || g_state.copy_result_times.compare_exchange_weak(times, times - 1)) {
      CK_RV injected = g_state.copy_result.load();
      if (injected != CKR_OK) return injected;
      break;
    }
  }
  CK_BBOOL on_token = CK_TRUE;
  CK_ATTRIBUTE token_attribute = {CKA_TOKEN, &on_token, sizeof(on_token)};
  if (g_state.real->C_GetAttributeValue(session, object, &token_attribute, 1) == CKR_OK &&
      on_token == CK_FALSE) {
    ++g_state.copies_of_session_objects;
  }
  CK_RV rv = g_state.real->C_CopyObject(session, object, templ, count, copy);
  if (rv == CKR_OK) {
    ++g_state.copies_made;
    std::lock_guard<std::mutex> lock(g_mu);
    if (!g_copied.emplace(session, object).second) ++g_state.duplicate_copies;
    g_copies[*copy] = session;
  }
  return rv;
}

CK_RV SignInit(CK_SESSION_HANDLE session, CK_MECHANISM* mechanism, CK_OBJECT_HANDLE key) {
  CK_RV rv = g_state.real->C_SignInit(session, mechanism, key);
  if (rv == CKR_OK) {
    ++g_state.sign_inits;
    std::lock_guard<std::mutex> lock(g_mu);
    if (g_copies.count(key) != 0) ++g_state.sign_inits_with_copy;
  } else {
    ++g_state.sign_inits_failed;
  }
  return rv;
}

CK_RV FindObjectsInit(CK_SESSION_HANDLE session, CK_ATTRIBUTE* templ, CK_ULONG count) {
  CK_RV rv = g_state.real->C_FindObjectsInit(session, templ, count);
  if (rv != CKR_OK || !g_state.session_objects_first) return rv;
  // Run the whole search now, and hand out session objects first.
  std::deque<CK_OBJECT_HANDLE> session_objects;
  std::deque<CK_OBJECT_HANDLE> token_objects;
  for (;;) {
    CK_OBJECT_HANDLE batch[16];
    CK_ULONG n = 0;
    rv = g_state.real->C_FindObjects(session, batch, 16, &n);
    if (rv != CKR_OK) {
      (void)g_state.real->C_FindObjectsFinal(session);
      return rv;
    }
    if (n == 0) break;
    for (CK_ULONG i = 0; i < n; ++i) {
      CK_BBOOL on_token = CK_TRUE;
      CK_ATTRIBUTE attribute = {CKA_TOKEN, &on_token, sizeof(on_token)};
      (void)g_state.real->C_GetAttributeValue(session, batch[i], &attribute, 1);
      (on_token == CK_FALSE ? session_objects : token_objects).push_back(batch[i]);
    }
  }
  session_objects.insert(session_objects.end(), token_objects.begin(), token_objects.end());
  std::lock_guard<std::mutex> lock(g_mu);
  g_found[session] = std::move(session_objects);
  return CKR_OK;
}

CK_RV FindObjects(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE* objects, CK_ULONG max,
                  CK_ULONG* count) {
  {
    std::lock_guard<std::mutex> lock(g_mu);
    auto it = g_found.find(session);
    if (it != g_found.end()) {
      *count = 0;
      while (*count < max && !it->second.empty()) {
        objects[(*count)++] = it->second.front();
        it->second.pop_front();
      }
      return CKR_OK;
    }
  }
  return g_state.real->C_FindObjects(session, objects, max, count);
}

CK_RV FindObjectsFinal(CK_SESSION_HANDLE session) {
  {
    std::lock_guard<std::mutex> lock(g_mu);
    g_found.erase(session);
  }
  return g_state.real->C_FindObjectsFinal(session);
}

void Load() {
  void* handle = dlopen(EINVOICE_SHIM_REAL_MODULE, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (handle == nullptr) return;
  auto get = reinterpret_cast<CK_C_GetFunctionList>(dlsym(handle, "C_GetFunctionList"));
  if (get == nullptr) return;
  CK_FUNCTION_LIST* real = nullptr;
  g_load_result = get(&real);
  if (g_load_result != CKR_OK) return;
  g_state.real = real;
  g_wrapped = *real;
  g_wrapped.C_OpenSession = OpenSession;
  g_wrapped.C_CloseSession = CloseSession;
  g_wrapped.C_Finalize = Finalize;
  g_wrapped.C_DestroyObject = DestroyObject;
  g_wrapped.C_CopyObject = CopyObject;
  g_wrapped.C_SignInit = SignInit;
  g_wrapped.C_FindObjectsInit = FindObjectsInit;
  g_wrapped.C_FindObjects = FindObjects;
  g_wrapped.C_FindObjectsFinal = FindObjectsFinal;
}

}  // namespace
}  // namespace einvoice::testing

extern "C" {

__attribute__((visibility("default"))) CK_RV C_GetFunctionList(CK_FUNCTION_LIST** list) {
  using namespace einvoice::testing;
  if (list == nullptr) return CKR_ARGUMENTS_BAD;
  std::call_once(g_once, Load);
  if (g_load_result != CKR_OK) return g_load_result;
  *list = &g_wrapped;
  return CKR_OK;
}

__attribute__((visibility("default"))) einvoice::testing::Pkcs11ShimState*
einvoice_pkcs11_shim_state() {
  using namespace einvoice::testing;
  std::call_once(g_once, Load);
  return &g_state;
}

}  // extern "C"
