/* The c-ares floor for a DNS check: QUERIES A lookups of NAME sent to
 * SERVER:53, CONCURRENCY at a time, through c-ares' own event loop (select),
 * with no result processing beyond counting. Prints "ok=N failed=M". */
#include <ares.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

static ares_channel channel;
static const char* name;
static long total, started, ok, failed;

static void start_next(void);

static void on_answer(void* arg, int status, int timeouts, unsigned char* abuf, int alen) {
  (void)arg; (void)timeouts; (void)abuf; (void)alen;
  if (status == ARES_SUCCESS) ++ok; else ++failed;
  start_next();
}

static void start_next(void) {
  if (started >= total) return;
  ++started;
  ares_query(channel, name, 1 /* C_IN */, 1 /* T_A */, on_answer, NULL);
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s SERVER NAME QUERIES CONCURRENCY\n", argv[0]);
    return 2;
  }
  name = argv[2];
  total = atol(argv[3]);
  int concurrency = atoi(argv[4]);
  if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS) return 1;
  struct ares_options options;
  memset(&options, 0, sizeof options);
  options.timeout = 2000;
  options.tries = 1;
  options.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
  if (ares_init_options(&channel, &options, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS) !=
      ARES_SUCCESS)
    return 1;
  if (ares_set_servers_csv(channel, argv[1]) != ARES_SUCCESS) return 1;
  for (int i = 0; i < concurrency; ++i) start_next();
  for (;;) {
    fd_set readers, writers;
    FD_ZERO(&readers);
    FD_ZERO(&writers);
    int nfds = ares_fds(channel, &readers, &writers);
    if (nfds == 0) break;
    struct timeval tv, *tvp = ares_timeout(channel, NULL, &tv);
    select(nfds, &readers, &writers, NULL, tvp);
    ares_process(channel, &readers, &writers);
  }
  printf("ok=%ld failed=%ld\n", ok, failed);
  ares_destroy(channel);
  ares_library_cleanup();
  return failed ? 1 : 0;
}
