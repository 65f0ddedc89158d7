/* Configuration of the HTTP parser tests: two application header fields, so
 * the delivery of application-named fields is exercised. */
#define MOTE_HTTP_APP_HEADERS(X)                                            \
    X(AUTHORIZATION, "authorization")                                       \
    X(X_API_KEY, "x-api-key")
