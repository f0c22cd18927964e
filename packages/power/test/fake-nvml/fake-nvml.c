/*
 * A stand-in for libnvidia-ml.so.1 that answers from a script, so the NVML reader can be
 * tested without a GPU. Only the calls the reader makes exist. The script is the file named
 * by FAKE_NVML_SCRIPT, read at nvmlInit_v2; one directive per line:
 *
 *   init <code>                  what nvmlInit_v2 returns (9 = driver not loaded)
 *   log <path>                   append "init <code>" and "shutdown" lines to this file
 *   device <uuid> <name...>      a GPU; the lines below describe it
 *   energy <v> <v> ...           nvmlDeviceGetTotalEnergyConsumption, mJ, one value per call
 *   power <v> <v> ...            nvmlDeviceGetPowerUsage, mW, one value per call
 *   limit <v>                    nvmlDeviceGetEnforcedPowerLimit, mW
 *   util <gpu> <memory>          nvmlDeviceGetUtilizationRates, percent
 *   mig <uuid>                   a MIG instance of this GPU (also turns MIG mode on)
 *   process <pid> <bytes>        a compute process on this GPU
 *   processes <n> <pid> <bytes>  n compute processes, pids from <pid> on (a busy GPU)
 *   hang-init <ms>               nvmlInit_v2 sleeps this long first (a driver that does not answer)
 *   hang-energy <after> <ms>     the energy calls after the first <after> sleep this long (a hung GPU)
 *   hang-processes <ms>          listing this GPU's compute processes sleeps this long
 *   hang-call <symbol> <ms>      every call of that function sleeps this long first (a GPU slow
 *                                to set up with persistence mode off, or one that hangs)
 *
 * A value written !<code> makes that call return the NVML error <code> instead (3 = not
 * supported, 15 = GPU lost); after the last value, the last one repeats. A missing energy,
 * power or limit line means "not supported".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DEVICES 16
#define MAX_VALUES 64
#define MAX_MIG 8
#define MAX_PROCS 2048
#define NOT_SUPPORTED 3

typedef struct {
  int count;
  int next;
  unsigned long long values[MAX_VALUES];
  int codes[MAX_VALUES];
} series_t;

struct device;
typedef struct mig {
  char uuid[96];
  struct device *parent;
} mig_t;

typedef struct device {
  char uuid[96];
  char name[96];
  series_t energy, power, limit;
  unsigned int util_gpu, util_mem;
  int has_util;
  mig_t migs[MAX_MIG];
  int mig_count;
  unsigned int pids[MAX_PROCS];
  unsigned long long bytes[MAX_PROCS];
  int proc_count;
  int hang_after;
  unsigned int hang_ms;
  int energy_calls;
  unsigned int processes_hang_ms;
} device_t;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static device_t devices[MAX_DEVICES];
static int device_count = 0;
/* What nvmlDeviceGetCount_v2 reports when the script says "count N"; -1: the devices listed. */
static long long reported_count = -1;
static int initialised = 0;
static unsigned int init_hang_ms = 0;
static char hang_symbol[64] = "";
static unsigned int hang_call_ms = 0;
static char log_path[512] = "";

static void log_line(const char *line) {
  if (log_path[0] == '\0') return;
  FILE *f = fopen(log_path, "a");
  if (f == NULL) return;
  fprintf(f, "%s\n", line);
  fclose(f);
}

static void parse_series(series_t *s, char *rest) {
  s->count = 0;
  s->next = 0;
  for (char *tok = strtok(rest, " \t\n"); tok != NULL && s->count < MAX_VALUES;
       tok = strtok(NULL, " \t\n")) {
    if (tok[0] == '!') {
      s->codes[s->count] = atoi(tok + 1);
      s->values[s->count] = 0;
    } else {
      s->codes[s->count] = 0;
      s->values[s->count] = strtoull(tok, NULL, 10);
    }
    s->count++;
  }
}

static int load_script(void) {
  memset(devices, 0, sizeof devices);
  device_count = 0;
  reported_count = -1;
  log_path[0] = '\0';
  init_hang_ms = 0;
  hang_symbol[0] = '\0';
  hang_call_ms = 0;
  int init_code = 0;
  const char *path = getenv("FAKE_NVML_SCRIPT");
  if (path == NULL) return 12; /* NVML_ERROR_LIBRARY_NOT_FOUND: nothing to fake */
  FILE *f = fopen(path, "r");
  if (f == NULL) return 12;
  char line[1024];
  device_t *d = NULL;
  while (fgets(line, sizeof line, f) != NULL) {
    char word[32];
    int used = 0;
    if (sscanf(line, "%31s %n", word, &used) != 1) continue;
    char *rest = line + used;
    rest[strcspn(rest, "\n")] = '\0';
    if (strcmp(word, "init") == 0) init_code = atoi(rest);
    else if (strcmp(word, "hang-init") == 0) init_hang_ms = (unsigned int)strtoul(rest, NULL, 10);
    else if (strcmp(word, "hang-call") == 0) {
      if (sscanf(rest, "%63s %u", hang_symbol, &hang_call_ms) != 2) hang_call_ms = 0;
    }
    else if (d != NULL && strcmp(word, "hang-processes") == 0)
      d->processes_hang_ms = (unsigned int)strtoul(rest, NULL, 10);
    else if (d != NULL && strcmp(word, "hang-energy") == 0) {
      if (sscanf(rest, "%d %u", &d->hang_after, &d->hang_ms) != 2) d->hang_ms = 0;
    }
    /* "count N": the device count to report, whatever the script lists (a lying library). */
    else if (strcmp(word, "count") == 0) reported_count = (long long)strtoull(rest, NULL, 10);
    else if (strcmp(word, "log") == 0) snprintf(log_path, sizeof log_path, "%s", rest);
    else if (strcmp(word, "device") == 0 && device_count < MAX_DEVICES) {
      d = &devices[device_count++];
      char uuid[96];
      int n = 0;
      if (sscanf(rest, "%95s %n", uuid, &n) >= 1) {
        snprintf(d->uuid, sizeof d->uuid, "%s", uuid);
        snprintf(d->name, sizeof d->name, "%s", rest + n);
      }
    } else if (d != NULL && strcmp(word, "energy") == 0) parse_series(&d->energy, rest);
    else if (d != NULL && strcmp(word, "power") == 0) parse_series(&d->power, rest);
    else if (d != NULL && strcmp(word, "limit") == 0) parse_series(&d->limit, rest);
    else if (d != NULL && strcmp(word, "util") == 0) {
      d->has_util = sscanf(rest, "%u %u", &d->util_gpu, &d->util_mem) == 2;
    } else if (d != NULL && strcmp(word, "mig") == 0 && d->mig_count < MAX_MIG) {
      mig_t *m = &d->migs[d->mig_count++];
      snprintf(m->uuid, sizeof m->uuid, "%s", rest);
      m->parent = d;
    } else if (d != NULL && strcmp(word, "processes") == 0) {
      unsigned int n = 0, pid = 0;
      unsigned long long bytes = 0;
      if (sscanf(rest, "%u %u %llu", &n, &pid, &bytes) == 3) {
        for (unsigned int k = 0; k < n && d->proc_count < MAX_PROCS; k++) {
          d->pids[d->proc_count] = pid + k;
          d->bytes[d->proc_count] = bytes;
          d->proc_count++;
        }
      }
    } else if (d != NULL && strcmp(word, "process") == 0 && d->proc_count < MAX_PROCS) {
      if (sscanf(rest, "%u %llu", &d->pids[d->proc_count], &d->bytes[d->proc_count]) == 2)
        d->proc_count++;
    }
  }
  fclose(f);
  return init_code;
}

/* Next value of a series into *out; returns the NVML code of this call. */
static int take(series_t *s, unsigned long long *out) {
  if (s->count == 0) return NOT_SUPPORTED;
  int i = s->next < s->count ? s->next : s->count - 1;
  if (s->next < s->count) s->next++;
  if (s->codes[i] != 0) return s->codes[i];
  *out = s->values[i];
  return 0;
}

static device_t *as_device(void *handle) {
  for (int i = 0; i < device_count; i++)
    if (handle == &devices[i]) return &devices[i];
  return NULL;
}

static mig_t *as_mig(void *handle) {
  for (int i = 0; i < device_count; i++)
    for (int j = 0; j < devices[i].mig_count; j++)
      if (handle == &devices[i].migs[j]) return &devices[i].migs[j];
  return NULL;
}

int nvmlInit_v2(void) {
  pthread_mutex_lock(&lock);
  int code = load_script();
  char line[64];
  snprintf(line, sizeof line, "init %d", code);
  log_line(line);
  if (code == 0) initialised++;
  unsigned int hang_ms = init_hang_ms;
  pthread_mutex_unlock(&lock);
  /* Outside the lock: a later test's init is not held up by this one. */
  if (hang_ms > 0) usleep(hang_ms * 1000u);
  return code;
}

static void hang_if(const char *symbol);

int nvmlShutdown(void) {
  hang_if(__func__);
  pthread_mutex_lock(&lock);
  int code = initialised > 0 ? 0 : 1;
  if (initialised > 0) initialised--;
  log_line("shutdown");
  pthread_mutex_unlock(&lock);
  return code;
}

const char *nvmlErrorString(int code) {
  switch (code) {
    case 0: return "Success";
    case 1: return "Uninitialized";
    case 2: return "Invalid Argument";
    case 3: return "Not Supported";
    case 4: return "Insufficient Permissions";
    case 7: return "Insufficient Size";
    case 9: return "Driver Not Loaded";
    case 15: return "GPU is lost";
    default: return "Unknown Error";
  }
}

/* "hang-call": sleeps first when `symbol` is the function named, outside the lock as a
 * driver's other calls then still answer; logged when it begins and when it returns. */
static void hang_if(const char *symbol) {
  pthread_mutex_lock(&lock);
  unsigned int ms = strcmp(hang_symbol, symbol) == 0 ? hang_call_ms : 0;
  pthread_mutex_unlock(&lock);
  if (ms == 0) return;
  char line[128];
  snprintf(line, sizeof line, "%s hang begins", symbol);
  log_line(line);
  usleep(ms * 1000u);
  snprintf(line, sizeof line, "%s hang ends", symbol);
  log_line(line);
}

#define GUARD()                      \
  hang_if(__func__);                 \
  pthread_mutex_lock(&lock);         \
  if (!initialised) {                \
    pthread_mutex_unlock(&lock);     \
    return 1;                        \
  }
#define DONE(code)                   \
  do {                               \
    int c_ = (code);                 \
    pthread_mutex_unlock(&lock);     \
    return c_;                       \
  } while (0)

int nvmlDeviceGetCount_v2(unsigned int *count) {
  GUARD();
  *count = reported_count >= 0 ? (unsigned int)reported_count : (unsigned int)device_count;
  DONE(0);
}

int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void **device) {
  GUARD();
  if (index >= (unsigned int)device_count) DONE(2);
  *device = &devices[index];
  DONE(0);
}

int nvmlDeviceGetHandleByUUID(const char *uuid, void **device) {
  GUARD();
  for (int i = 0; i < device_count; i++) {
    if (strcmp(devices[i].uuid, uuid) == 0) {
      *device = &devices[i];
      DONE(0);
    }
    for (int j = 0; j < devices[i].mig_count; j++)
      if (strcmp(devices[i].migs[j].uuid, uuid) == 0) {
        *device = &devices[i].migs[j];
        DONE(0);
      }
  }
  DONE(6); /* NVML_ERROR_NOT_FOUND */
}

static int copy_text(const char *text, char *out, unsigned int length) {
  if (strlen(text) + 1 > length) return 7; /* NVML_ERROR_INSUFFICIENT_SIZE */
  strcpy(out, text);
  return 0;
}

int nvmlDeviceGetName(void *handle, char *name, unsigned int length) {
  GUARD();
  device_t *d = as_device(handle);
  if (d == NULL) DONE(2);
  DONE(copy_text(d->name, name, length));
}

int nvmlDeviceGetUUID(void *handle, char *uuid, unsigned int length) {
  GUARD();
  device_t *d = as_device(handle);
  mig_t *m = d == NULL ? as_mig(handle) : NULL;
  if (d == NULL && m == NULL) DONE(2);
  DONE(copy_text(d != NULL ? d->uuid : m->uuid, uuid, length));
}

int nvmlDeviceGetTotalEnergyConsumption(void *handle, unsigned long long *energy) {
  GUARD();
  device_t *d = as_device(handle);
  if (d == NULL) DONE(as_mig(handle) != NULL ? NOT_SUPPORTED : 2);
  unsigned int hang_ms = d->hang_ms > 0 && ++d->energy_calls > d->hang_after ? d->hang_ms : 0;
  if (hang_ms > 0) {
    /* Outside the lock, as the other calls then still answer; logged when it returns. */
    pthread_mutex_unlock(&lock);
    log_line("energy hang begins");
    usleep(hang_ms * 1000u);
    log_line("energy hang ends");
    pthread_mutex_lock(&lock);
  }
  DONE(take(&d->energy, energy));
}

int nvmlDeviceGetPowerUsage(void *handle, unsigned int *power) {
  GUARD();
  device_t *d = as_device(handle);
  if (d == NULL) DONE(as_mig(handle) != NULL ? NOT_SUPPORTED : 2);
  unsigned long long v = 0;
  int code = take(&d->power, &v);
  if (code == 0) *power = (unsigned int)v;
  DONE(code);
}

int nvmlDeviceGetEnforcedPowerLimit(void *handle, unsigned int *limit) {
  GUARD();
  device_t *d = as_device(handle);
  if (d == NULL) DONE(2);
  unsigned long long v = 0;
  int code = take(&d->limit, &v);
  if (code == 0) *limit = (unsigned int)v;
  DONE(code);
}

typedef struct {
  unsigned int gpu;
  unsigned int memory;
} utilization_t;

int nvmlDeviceGetUtilizationRates(void *handle, utilization_t *util) {
  GUARD();
  device_t *d = as_device(handle);
  if (d == NULL) DONE(2);
  if (!d->has_util) DONE(NOT_SUPPORTED);
  util->gpu = d->util_gpu;
  util->memory = d->util_mem;
  DONE(0);
}

typedef struct {
  unsigned int pid;
  unsigned long long usedGpuMemory;
  unsigned int gpuInstanceId;
  unsigned int computeInstanceId;
} process_info_t;

int nvmlDeviceGetComputeRunningProcesses_v3(void *handle, unsigned int *count,
                                            process_info_t *infos) {
  GUARD();
  device_t *d = as_device(handle);
  if (d == NULL) DONE(2);
  if (d->processes_hang_ms > 0) {
    unsigned int hang_ms = d->processes_hang_ms;
    pthread_mutex_unlock(&lock);
    log_line("processes hang begins");
    usleep(hang_ms * 1000u);
    log_line("processes hang ends");
    pthread_mutex_lock(&lock);
  }
  if (*count < (unsigned int)d->proc_count) {
    *count = (unsigned int)d->proc_count;
    DONE(7);
  }
  for (int i = 0; i < d->proc_count; i++) {
    infos[i].pid = d->pids[i];
    infos[i].usedGpuMemory = d->bytes[i];
    infos[i].gpuInstanceId = 0xFFFFFFFFu;
    infos[i].computeInstanceId = 0xFFFFFFFFu;
  }
  *count = (unsigned int)d->proc_count;
  DONE(0);
}

int nvmlDeviceGetMigMode(void *handle, unsigned int *current, unsigned int *pending) {
  GUARD();
  device_t *d = as_device(handle);
  if (d == NULL) DONE(2);
  *current = d->mig_count > 0;
  *pending = d->mig_count > 0;
  DONE(0);
}

int nvmlDeviceGetDeviceHandleFromMigDeviceHandle(void *handle, void **device) {
  GUARD();
  mig_t *m = as_mig(handle);
  if (m == NULL) DONE(2);
  *device = m->parent;
  DONE(0);
}
