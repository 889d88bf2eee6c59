// libcurl loaded with dlopen on first use: see include/CCurl.h for why.
#define CURL_DISABLE_TYPECHECK 1  // the setopt/getinfo type-check macros would wrap the calls through pointers

#include "CCurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

// libcurl's ABI (soname 4) has been stable since 7.16 (2006); curl_multi_poll and curl_multi_wakeup need 7.68.
#define EVALGATE_LIBCURL_SONAME "libcurl.so.4"

// Every libcurl function evalgate calls: name, return type, parameters.
#define EVALGATE_CURL_FUNCTIONS(X)                                                                                 \
    X(curl_global_init, CURLcode, (long))                                                                          \
    X(curl_version_info, curl_version_info_data *, (CURLversion))                                                  \
    X(curl_easy_init, CURL *, (void))                                                                              \
    X(curl_easy_cleanup, void, (CURL *))                                                                           \
    X(curl_easy_reset, void, (CURL *))                                                                             \
    X(curl_easy_strerror, const char *, (CURLcode))                                                                \
    X(curl_easy_setopt, CURLcode, (CURL *, CURLoption, ...))                                                       \
    X(curl_easy_getinfo, CURLcode, (CURL *, CURLINFO, ...))                                                        \
    X(curl_multi_init, CURLM *, (void))                                                                            \
    X(curl_multi_cleanup, CURLMcode, (CURLM *))                                                                    \
    X(curl_multi_setopt, CURLMcode, (CURLM *, CURLMoption, ...))                                                   \
    X(curl_multi_add_handle, CURLMcode, (CURLM *, CURL *))                                                         \
    X(curl_multi_remove_handle, CURLMcode, (CURLM *, CURL *))                                                      \
    X(curl_multi_perform, CURLMcode, (CURLM *, int *))                                                             \
    X(curl_multi_poll, CURLMcode, (CURLM *, struct curl_waitfd *, unsigned int, int, int *))                       \
    X(curl_multi_wakeup, CURLMcode, (CURLM *))                                                                     \
    X(curl_multi_info_read, CURLMsg *, (CURLM *, int *))                                                           \
    X(curl_multi_strerror, const char *, (CURLMcode))                                                              \
    X(curl_slist_append, struct curl_slist *, (struct curl_slist *, const char *))                                 \
    X(curl_slist_free_all, void, (struct curl_slist *))

#define EVALGATE_DECLARE(name, type, params) static type(*p_##name) params;
EVALGATE_CURL_FUNCTIONS(EVALGATE_DECLARE)
#undef EVALGATE_DECLARE

// Written once, under `once`; read only after pthread_once returned, which orders the reads after the writes.
static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *load_error = "libcurl was not loaded";
static char load_message[512];

static void load(void) {
    // EVALGATE_LIBCURL names another libcurl (a path, or a soname the loader searches for): a newer build, say.
    const char *file = getenv("EVALGATE_LIBCURL");
    if (file == NULL || file[0] == '\0') file = EVALGATE_LIBCURL_SONAME;
    void *library = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(load_message, sizeof load_message, "cannot load libcurl (install libcurl4, or set EVALGATE_LIBCURL): %s",
                 reason != NULL ? reason : file);
        load_error = load_message;
        return;
    }
#define EVALGATE_RESOLVE(name, type, params)                                                                       \
    p_##name = (type(*) params)dlsym(library, #name);                                                              \
    if (p_##name == NULL) {                                                                                        \
        snprintf(load_message, sizeof load_message,                                                                \
                 "the libcurl loaded (%s) has no " #name ": libcurl 7.68 or newer is needed", file);              \
        load_error = load_message;                                                                                 \
        return;                                                                                                    \
    }
    EVALGATE_CURL_FUNCTIONS(EVALGATE_RESOLVE)
#undef EVALGATE_RESOLVE
    load_error = NULL;
}

const char *evalgate_curl_load(void) {
    pthread_once(&once, load);
    return load_error;
}

static int ready(void) { return evalgate_curl_load() == NULL; }

const char *evalgate_curl_version(void) {
    if (!ready()) return "not loaded";
    curl_version_info_data *info = p_curl_version_info(CURLVERSION_NOW);
    return info != NULL && info->version != NULL ? info->version : "unknown";
}

void evalgate_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

CURLcode evalgate_curl_global_init(long flags) { return ready() ? p_curl_global_init(flags) : CURLE_FAILED_INIT; }

CURL *evalgate_curl_easy_init(void) { return ready() ? p_curl_easy_init() : NULL; }

void evalgate_curl_easy_cleanup(CURL *handle) {
    if (ready()) p_curl_easy_cleanup(handle);
}

void evalgate_curl_easy_reset(CURL *handle) {
    if (ready()) p_curl_easy_reset(handle);
}

const char *evalgate_curl_easy_strerror(CURLcode code) {
    return ready() ? p_curl_easy_strerror(code) : evalgate_curl_load();
}

CURLM *evalgate_curl_multi_init(void) { return ready() ? p_curl_multi_init() : NULL; }

CURLMcode evalgate_curl_multi_cleanup(CURLM *multi) {
    return ready() ? p_curl_multi_cleanup(multi) : CURLM_INTERNAL_ERROR;
}

CURLMcode evalgate_curl_multi_add_handle(CURLM *multi, CURL *handle) {
    return ready() ? p_curl_multi_add_handle(multi, handle) : CURLM_INTERNAL_ERROR;
}

CURLMcode evalgate_curl_multi_remove_handle(CURLM *multi, CURL *handle) {
    return ready() ? p_curl_multi_remove_handle(multi, handle) : CURLM_INTERNAL_ERROR;
}

CURLMcode evalgate_curl_multi_perform(CURLM *multi, int *running) {
    return ready() ? p_curl_multi_perform(multi, running) : CURLM_INTERNAL_ERROR;
}

CURLMcode evalgate_curl_multi_poll(CURLM *multi, struct curl_waitfd *extra, unsigned int count, int timeout_ms,
                                   int *ret) {
    return ready() ? p_curl_multi_poll(multi, extra, count, timeout_ms, ret) : CURLM_INTERNAL_ERROR;
}

CURLMcode evalgate_curl_multi_wakeup(CURLM *multi) {
    return ready() ? p_curl_multi_wakeup(multi) : CURLM_INTERNAL_ERROR;
}

CURLMsg *evalgate_curl_multi_info_read(CURLM *multi, int *remaining) {
    return ready() ? p_curl_multi_info_read(multi, remaining) : NULL;
}

const char *evalgate_curl_multi_strerror(CURLMcode code) {
    return ready() ? p_curl_multi_strerror(code) : evalgate_curl_load();
}

struct curl_slist *evalgate_curl_slist_append(struct curl_slist *list, const char *string) {
    return ready() ? p_curl_slist_append(list, string) : NULL;
}

void evalgate_curl_slist_free_all(struct curl_slist *list) {
    if (ready()) p_curl_slist_free_all(list);
}

// The variadic calls, one wrapper per argument type.
#define EVALGATE_SETOPT(suffix, type)                                                                              \
    CURLcode evalgate_easy_setopt_##suffix(CURL *h, CURLoption o, type v) {                                        \
        return ready() ? p_curl_easy_setopt(h, o, v) : CURLE_FAILED_INIT;                                          \
    }
EVALGATE_SETOPT(long, long)
EVALGATE_SETOPT(off, curl_off_t)
EVALGATE_SETOPT(string, const char *)
EVALGATE_SETOPT(pointer, void *)
EVALGATE_SETOPT(slist, struct curl_slist *)
EVALGATE_SETOPT(data_cb, evalgate_curl_data_cb)
EVALGATE_SETOPT(xferinfo_cb, evalgate_curl_xferinfo_cb)
EVALGATE_SETOPT(debug_cb, evalgate_curl_debug_cb)
#undef EVALGATE_SETOPT

#define EVALGATE_GETINFO(suffix, type)                                                                             \
    CURLcode evalgate_easy_getinfo_##suffix(CURL *h, CURLINFO i, type *v) {                                        \
        return ready() ? p_curl_easy_getinfo(h, i, v) : CURLE_FAILED_INIT;                                         \
    }
EVALGATE_GETINFO(long, long)
EVALGATE_GETINFO(off, curl_off_t)
EVALGATE_GETINFO(pointer, void *)
#undef EVALGATE_GETINFO

CURLMcode evalgate_multi_setopt_long(CURLM *m, CURLMoption o, long v) {
    return ready() ? p_curl_multi_setopt(m, o, v) : CURLM_INTERNAL_ERROR;
}
