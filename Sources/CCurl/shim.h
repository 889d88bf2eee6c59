// Typed wrappers for libcurl's variadic calls, which Swift cannot call directly.
// One wrapper per argument type; each is a plain forwarding call.
#ifndef EVALGATE_CCURL_SHIM_H
#define EVALGATE_CCURL_SHIM_H

#include <curl/curl.h>
#include <signal.h>
#include <stddef.h>

typedef size_t (*evalgate_curl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*evalgate_curl_xferinfo_cb)(void *clientp, curl_off_t dltotal, curl_off_t dlnow,
                                         curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode evalgate_easy_setopt_long(CURL *h, CURLoption o, long v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode evalgate_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode evalgate_easy_setopt_string(CURL *h, CURLoption o, const char *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode evalgate_easy_setopt_pointer(CURL *h, CURLoption o, void *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode evalgate_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode evalgate_easy_setopt_data_cb(CURL *h, CURLoption o, evalgate_curl_data_cb v) {
    return curl_easy_setopt(h, o, v);
}
static inline CURLcode evalgate_easy_setopt_xferinfo_cb(CURL *h, CURLoption o, evalgate_curl_xferinfo_cb v) {
    return curl_easy_setopt(h, o, v);
}

typedef int (*evalgate_curl_debug_cb)(CURL *handle, curl_infotype type, char *data, size_t size, void *userptr);

static inline CURLcode evalgate_easy_setopt_debug_cb(CURL *h, CURLoption o, evalgate_curl_debug_cb v) {
    return curl_easy_setopt(h, o, v);
}

static inline CURLcode evalgate_easy_getinfo_long(CURL *h, CURLINFO i, long *v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode evalgate_easy_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) {
    return curl_easy_getinfo(h, i, v);
}
static inline CURLcode evalgate_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) {
    return curl_easy_getinfo(h, i, v);
}

static inline CURLMcode evalgate_multi_setopt_long(CURLM *m, CURLMoption o, long v) {
    return curl_multi_setopt(m, o, v);
}

/// The running libcurl's version string ("7.88.1"); CURLVERSION_NOW is a macro Swift cannot import.
static inline const char *evalgate_curl_version(void) {
    return curl_version_info(CURLVERSION_NOW)->version;
}

/// SIGPIPE must not kill the process when a peer closes a socket under libcurl (we set CURLOPT_NOSIGNAL).
static inline void evalgate_ignore_sigpipe(void) {
    signal(SIGPIPE, SIG_IGN);
}

#endif
