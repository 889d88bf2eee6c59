// libcurl for the Swift side, loaded on first use instead of at process start.
//
// Why: libcurl (with the libraries it brings: OpenSSL, nghttp2, libssh2, Kerberos, LDAP, libidn2 …) costs about
// 6 MB of resident memory and some milliseconds of relocation at every start, although most commands (validate,
// diff, report, gate, rescore without judges, --version) never open a connection. So the binary does not link
// libcurl: `evalgate_curl_load` opens libcurl.so.4 with dlopen the first time a client is made, and every call below
// goes through the function it resolved. The headers are still libcurl's (libcurl4-openssl-dev at build time), so
// types and constants are checked as before. git keeps libcurl out of its main binary for the same reason
// (git-remote-http).
//
// Each wrapper forwards one call. Variadic calls (setopt, getinfo) get one wrapper per argument type, which Swift
// can call. Before a successful `evalgate_curl_load`, every wrapper fails the way libcurl itself reports failure
// (NULL, CURLE_FAILED_INIT, CURLM_INTERNAL_ERROR) and the void ones do nothing: a missing library is an error the
// caller words, never a crash.
#ifndef EVALGATE_CCURL_H
#define EVALGATE_CCURL_H

#include <curl/curl.h>
#include <stddef.h>

typedef size_t (*evalgate_curl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*evalgate_curl_xferinfo_cb)(void *clientp, curl_off_t dltotal, curl_off_t dlnow,
                                         curl_off_t ultotal, curl_off_t ulnow);
typedef int (*evalgate_curl_debug_cb)(CURL *handle, curl_infotype type, char *data, size_t size, void *userptr);

/// Loads libcurl once (thread-safe; later calls return the first outcome at once). Returns NULL when every function
/// evalgate uses was found, else why not (dlopen's or dlsym's own message), for the caller's error.
const char *evalgate_curl_load(void);

/// The running libcurl's version string ("7.88.1"), or "not loaded".
const char *evalgate_curl_version(void);

/// SIGPIPE must not kill the process when a peer closes a socket under libcurl (we set CURLOPT_NOSIGNAL).
void evalgate_ignore_sigpipe(void);

CURLcode evalgate_curl_global_init(long flags);
CURL *evalgate_curl_easy_init(void);
void evalgate_curl_easy_cleanup(CURL *handle);
void evalgate_curl_easy_reset(CURL *handle);
const char *evalgate_curl_easy_strerror(CURLcode code);
CURLM *evalgate_curl_multi_init(void);
CURLMcode evalgate_curl_multi_cleanup(CURLM *multi);
CURLMcode evalgate_curl_multi_add_handle(CURLM *multi, CURL *handle);
CURLMcode evalgate_curl_multi_remove_handle(CURLM *multi, CURL *handle);
CURLMcode evalgate_curl_multi_perform(CURLM *multi, int *running);
CURLMcode evalgate_curl_multi_poll(CURLM *multi, struct curl_waitfd *extra, unsigned int count, int timeout_ms,
                                   int *ret);
CURLMcode evalgate_curl_multi_wakeup(CURLM *multi);
CURLMsg *evalgate_curl_multi_info_read(CURLM *multi, int *remaining);
const char *evalgate_curl_multi_strerror(CURLMcode code);
struct curl_slist *evalgate_curl_slist_append(struct curl_slist *list, const char *string);
void evalgate_curl_slist_free_all(struct curl_slist *list);

CURLcode evalgate_easy_setopt_long(CURL *h, CURLoption o, long v);
CURLcode evalgate_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode evalgate_easy_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode evalgate_easy_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode evalgate_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
CURLcode evalgate_easy_setopt_data_cb(CURL *h, CURLoption o, evalgate_curl_data_cb v);
CURLcode evalgate_easy_setopt_xferinfo_cb(CURL *h, CURLoption o, evalgate_curl_xferinfo_cb v);
CURLcode evalgate_easy_setopt_debug_cb(CURL *h, CURLoption o, evalgate_curl_debug_cb v);

CURLcode evalgate_easy_getinfo_long(CURL *h, CURLINFO i, long *v);
CURLcode evalgate_easy_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v);
CURLcode evalgate_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v);

CURLMcode evalgate_multi_setopt_long(CURLM *m, CURLMoption o, long v);

#endif
