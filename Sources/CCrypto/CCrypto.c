// libcrypto loaded with dlopen on the first digest: see include/CCrypto.h for why.
#include "CCrypto.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// Every libcrypto function evalgate calls: name, return type, parameters (all in OpenSSL 1.1 and 3).
#define EVALGATE_CRYPTO_FUNCTIONS(X)                                                                               \
    X(EVP_MD_CTX_new, EVP_MD_CTX *, (void))                                                                        \
    X(EVP_MD_CTX_free, void, (EVP_MD_CTX *))                                                                       \
    X(EVP_MD_CTX_copy_ex, int, (EVP_MD_CTX *, const EVP_MD_CTX *))                                                 \
    X(EVP_sha256, const EVP_MD *, (void))                                                                          \
    X(EVP_DigestInit_ex, int, (EVP_MD_CTX *, const EVP_MD *, ENGINE *))                                            \
    X(EVP_DigestUpdate, int, (EVP_MD_CTX *, const void *, size_t))                                                 \
    X(EVP_DigestFinal_ex, int, (EVP_MD_CTX *, unsigned char *, unsigned int *))

#define EVALGATE_DECLARE(name, type, params) static type(*p_##name) params;
EVALGATE_CRYPTO_FUNCTIONS(EVALGATE_DECLARE)
#undef EVALGATE_DECLARE

// Written once, under `once`; read only after pthread_once returned, which orders the reads after the writes.
static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *load_error = "libcrypto was not loaded";
static char load_message[512];

static void load(void) {
    const char *file = getenv("EVALGATE_LIBCRYPTO");
    void *library = NULL;
    if (file != NULL && file[0] != '\0') {
        library = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    } else {
        file = "libcrypto.so.3";
        library = dlopen(file, RTLD_NOW | RTLD_LOCAL);
        if (library == NULL) library = dlopen("libcrypto.so.1.1", RTLD_NOW | RTLD_LOCAL);
    }
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(load_message, sizeof load_message,
                 "cannot load libcrypto (install libssl3, or set EVALGATE_LIBCRYPTO): %s",
                 reason != NULL ? reason : file);
        load_error = load_message;
        return;
    }
#define EVALGATE_RESOLVE(symbol, type, params)                                                                     \
    p_##symbol = (type(*) params)dlsym(library, #symbol);                                                          \
    if (p_##symbol == NULL) {                                                                                      \
        snprintf(load_message, sizeof load_message,                                                                \
                 "the libcrypto loaded (%s) has no " #symbol ": OpenSSL 1.1 or newer is needed", file);           \
        load_error = load_message;                                                                                 \
        return;                                                                                                    \
    }
    EVALGATE_CRYPTO_FUNCTIONS(EVALGATE_RESOLVE)
#undef EVALGATE_RESOLVE
    load_error = NULL;
}

const char *evalgate_crypto_load(void) {
    pthread_once(&once, load);
    return load_error;
}

static int ready(void) { return evalgate_crypto_load() == NULL; }

EVP_MD_CTX *evalgate_sha256_new(void) {
    if (!ready()) return NULL;
    EVP_MD_CTX *context = p_EVP_MD_CTX_new();
    if (context != NULL && p_EVP_DigestInit_ex(context, p_EVP_sha256(), NULL) != 1) {
        p_EVP_MD_CTX_free(context);
        return NULL;
    }
    return context;
}

int evalgate_sha256_update(EVP_MD_CTX *context, const void *bytes, size_t count) {
    return ready() ? p_EVP_DigestUpdate(context, bytes, count) : 0;
}

EVP_MD_CTX *evalgate_sha256_copy(const EVP_MD_CTX *context) {
    if (!ready()) return NULL;
    EVP_MD_CTX *copy = p_EVP_MD_CTX_new();
    if (copy != NULL && p_EVP_MD_CTX_copy_ex(copy, context) != 1) {
        p_EVP_MD_CTX_free(copy);
        return NULL;
    }
    return copy;
}

int evalgate_sha256_final(EVP_MD_CTX *context, unsigned char *digest) {
    if (!ready()) return 0;
    unsigned int length = 0;
    return p_EVP_DigestFinal_ex(context, digest, &length) == 1 && length == 32;
}

void evalgate_sha256_free(EVP_MD_CTX *context) {
    if (ready()) p_EVP_MD_CTX_free(context);
}
