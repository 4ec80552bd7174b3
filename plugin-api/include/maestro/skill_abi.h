/*
 * Maestro skill ABI 1.0 — the only thing that crosses between maestro-server / maestro and a
 * skill library. Plain C11, so a skill can be written in any language with a C FFI.
 *
 * Rules that hold for every type below (docs/skills.md explains them at length):
 *  - A skill library exports exactly one symbol, `maestro_skill_entry` (a const maestro_entry).
 *  - Every struct starts with `struct_size` = sizeof(the struct) as compiled by whoever filled it.
 *    Structs only grow at the end; a reader never touches a field that lies beyond struct_size.
 *  - Strings are NUL-terminated UTF-8 and borrowed for the duration of the call that passes them.
 *    Whoever needs a string longer keeps a copy (the host copies every string it keeps).
 *  - Data coming out of a call is written through a maestro_writer; errors are integer codes
 *    (MAESTRO_OK / MAESTRO_ERR_*) plus a host-owned message. No C++ type, exception or heap
 *    allocation crosses: memory is always freed by the side that allocated it.
 *  - Optional features are found by string id with a revision ("maestro.commands/1"); a new
 *    meaning gets a new id ("maestro.commands/2"), never a changed struct.
 */
#ifndef MAESTRO_SKILL_ABI_H
#define MAESTRO_SKILL_ABI_H

#include <stddef.h>
#include <stdint.h>

#define MAESTRO_ABI_MAJOR 1
#define MAESTRO_ABI_MINOR 0

/* The name of the one exported symbol, for loaders that look it up by string. */
#define MAESTRO_ENTRY_SYMBOL "maestro_skill_entry"

#if defined(_WIN32)
#define MAESTRO_SKILL_EXPORT __declspec(dllexport)
#else
#define MAESTRO_SKILL_EXPORT __attribute__((visibility("default")))
#endif

/* Result codes. Every int32_t status in this header is one of these. */
#define MAESTRO_OK 0
#define MAESTRO_ERR_FAILED 1           /* generic failure; the message says why */
#define MAESTRO_ERR_INVALID_ARGUMENT 2 /* a NULL, malformed or too small argument */
#define MAESTRO_ERR_NOT_FOUND 3        /* unknown key, id or interface */
#define MAESTRO_ERR_ALREADY_EXISTS 4   /* e.g. a command path registered twice */
#define MAESTRO_ERR_UNSUPPORTED 5      /* the other side does not offer this */
#define MAESTRO_ERR_WRONG_STATE 6      /* e.g. registering after init returned */
#define MAESTRO_ERR_UNAVAILABLE 7      /* the Maestro API could not be reached */
#define MAESTRO_ERR_VETO 8             /* a spawn hook refuses the spawn */
#define MAESTRO_ERR_EXCEPTION 9        /* a C++ exception was caught at the boundary */

/* Exit codes (sysexits.h) of the maestro CLI and of the skill commands it runs: the one
   definition of them (docs/cli.md, "Exit codes and errors"). */
#define MAESTRO_EXIT_OK 0
#define MAESTRO_EXIT_USAGE 64       /* the command line is wrong */
#define MAESTRO_EXIT_REFUSED 65     /* the server refused the request (4xx) */
#define MAESTRO_EXIT_UNAVAILABLE 69 /* the server could not be reached, or gave no answer */
#define MAESTRO_EXIT_INTERNAL 70    /* a bug, in the CLI, a skill or the server */

/* Log levels for maestro_host.log. */
#define MAESTRO_LOG_DEBUG 0
#define MAESTRO_LOG_INFO 1
#define MAESTRO_LOG_WARNING 2
#define MAESTRO_LOG_ERROR 3

/* Flags for maestro_command_option.flags. */
#define MAESTRO_OPTION_REQUIRED 1u

/* Interface ids understood by maestro_host.get_interface in ABI 1.0. */
#define MAESTRO_COMMANDS_INTERFACE "maestro.commands/1"
#define MAESTRO_TEMPLATES_INTERFACE "maestro.templates/1"
#define MAESTRO_SPAWN_HOOKS_INTERFACE "maestro.spawn_hooks/1"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct maestro_abi_version {
    uint32_t major; /* must equal the host's MAESTRO_ABI_MAJOR */
    uint32_t minor; /* must not be greater than the host's MAESTRO_ABI_MINOR */
} maestro_abi_version;

/*
 * A sink for bytes. Implemented by the side that receives the data: the host for command
 * output, template text and hook patches; the skill for config values, API responses and the
 * session context it asks the host for. Valid only during the call it is passed to, and only
 * on the thread of that call.
 */
typedef struct maestro_writer {
    size_t struct_size; /* sizeof(maestro_writer) as compiled by the implementer */
    void* context;      /* owned by the implementer; opaque to the caller */
    /* Appends `size` bytes (need not be NUL-terminated, may be 0). Returns MAESTRO_OK or an
       error code; on error the caller should stop writing. */
    int32_t (*write)(const struct maestro_writer* writer, const char* data, size_t size);
} maestro_writer;

/*
 * An error slot the host passes into a skill callback. Host-owned; valid only during that
 * call, on that thread. The skill reports a failure by calling `set` (the host copies the
 * message) and returning the same code.
 */
typedef struct maestro_error {
    size_t struct_size; /* sizeof(maestro_error) as compiled by the host */
    void* context;      /* owned by the host; opaque to the skill */
    /* Records `code` and a copy of `message` (may be NULL). Calling it again replaces both. */
    void (*set)(struct maestro_error* error, int32_t code, const char* message);
} maestro_error;

/*
 * The host's services, one table per loaded skill. Owned by the host; the pointer handed to
 * init stays valid until deinit returns, and the skill may keep it until then. Every function
 * here may be called from any thread, concurrently, while the skill is loaded — except the
 * registration interfaces, which only work on the thread running init, during init.
 */
typedef struct maestro_host {
    size_t struct_size;      /* sizeof(maestro_host) as compiled by the host */
    maestro_abi_version abi; /* the ABI version the host implements */
    void* context;           /* owned by the host; opaque to the skill */
    const char* skill_id;    /* the skill's id from manifest.json; host-owned, lives as the table */
    const char* skill_dir;   /* absolute path of the skill's folder (data files live there) */

    /* Returns the host's table for an interface id such as MAESTRO_COMMANDS_INTERFACE, or NULL
       if the host does not offer it. The table is host-owned and lives as long as `host`. */
    const void* (*get_interface)(const struct maestro_host* host, const char* id);

    /* Writes one line to the host's log, attributed to this skill. Never fails. */
    void (*log)(const struct maestro_host* host, int32_t level, const char* message);

    /* Looks up a configuration value (keys are documented in docs/skills.md, e.g. "apiUrl").
       Writes the value to `out` and returns MAESTRO_OK, or returns MAESTRO_ERR_NOT_FOUND. */
    int32_t (*config)(const struct maestro_host* host, const char* key, const maestro_writer* out);

    /* Calls the Maestro HTTP API: `method` ("GET", "POST", "PATCH", …), `path` ("/api/tasks/…"),
       `body` (JSON text or NULL). On MAESTRO_OK the response arrived: its HTTP status is stored
       in *http_status and its body written to `response_body`. Otherwise the call could not be
       made (MAESTRO_ERR_UNAVAILABLE …) and last_error tells why. Blocks the calling thread. */
    int32_t (*call_api)(const struct maestro_host* host, const char* method, const char* path,
                        const char* body, int32_t* http_status,
                        const maestro_writer* response_body);

    /* Writes the current session context as a JSON object (see docs/skills.md). */
    int32_t (*session_context)(const struct maestro_host* host, const maestro_writer* out);

    /* Renders `text` in the host's template syntax ({{task.title}}, {{#subtasks}}…{{/subtasks}})
       against `context_json` and writes the result to `out`, so a command prints exactly what
       a static template would. MAESTRO_ERR_INVALID_ARGUMENT on a template or JSON error. */
    int32_t (*render_template)(const struct maestro_host* host, const char* text,
                               const char* context_json, const maestro_writer* out);

    /* The message of the last failure of a host function called on this thread, or "".
       Host-owned; valid until the next host call on this thread. */
    const char* (*last_error)(const struct maestro_host* host);
} maestro_host;

/* One option of a command, for help texts and listings. The host does not parse arguments: the
   run callback receives them raw. */
typedef struct maestro_command_option {
    size_t struct_size;     /* sizeof(maestro_command_option) as compiled by the skill */
    const char* name;       /* "--reason", "-r,--reason" or a positional such as "TASK" */
    const char* value_name; /* "TEXT" for an option taking a value; NULL for a flag */
    const char* summary;    /* one line */
    uint32_t flags;         /* MAESTRO_OPTION_* bits */
} maestro_command_option;

/*
 * A command added to the `maestro` CLI. Registered during init through
 * maestro_commands_interface. The host copies every string and the option list during
 * registration; `user_data` passes to the host on success (it calls `destroy(user_data)` once,
 * after deinit) and stays with the skill on failure.
 */
typedef struct maestro_command {
    size_t struct_size;  /* sizeof(maestro_command) as compiled by the skill */
    const char* name;    /* path of lowercase words: "worker init"; unique across all skills */
    const char* summary; /* one line, shown by `maestro --help` and `maestro skill info` */
    /* option_count pointers to options, or NULL; skill-owned, borrowed for the registration */
    const maestro_command_option* const* options;
    size_t option_count; /* entries in options */
    void* user_data;     /* skill-owned; passed back to run and destroy */
    /* Runs the command. argv holds the arguments after the command path (argv[argc] == NULL);
       out/err are stdout/stderr; context_json is the session context. Returns the exit code
       (0 ok; 64 usage; 65 refused by the server; 69 unreachable; 70 internal). Called on the
       thread that runs the command. */
    int32_t (*run)(void* user_data, int32_t argc, const char* const* argv,
                   const maestro_writer* out, const maestro_writer* err, const char* context_json);
    void (*destroy)(void* user_data); /* may be NULL */
} maestro_command;

/*
 * A prompt template: part of the brief a session of one of `roles` receives. Either static
 * `text` in the host's template syntax (the host renders it) or a `render` callback.
 */
typedef struct maestro_template {
    size_t struct_size; /* sizeof(maestro_template) as compiled by the skill */
    const char* id;     /* unique within the skill, e.g. "worker-brief" */
    /* role_count role names ("*" means every role); borrowed for the registration */
    const char* const* roles;
    size_t role_count; /* entries in roles, at least 1 */
    const char* text;  /* static template text, or NULL when `render` is set */
    void* user_data;   /* skill-owned; passed back to render and destroy */
    /* Writes the rendered text for `context_json` (docs/skills.md, "Template context") to
       `out`. May be called from any thread, concurrently. On failure: error->set and return
       its code. NULL when `text` is set. */
    int32_t (*render)(void* user_data, const char* context_json, const maestro_writer* out,
                      maestro_error* error);
    void (*destroy)(void* user_data); /* may be NULL */
} maestro_template;

/*
 * A spawn hook: sees the spawn plan of a session of one of `roles` before it starts, and may
 * change it or refuse it. Hooks run in ascending `order`, ties broken by skill id.
 */
typedef struct maestro_spawn_hook {
    size_t struct_size; /* sizeof(maestro_spawn_hook) as compiled by the skill */
    const char* id;     /* unique within the skill, e.g. "path" */
    /* role_count role names ("*" means every role); borrowed for the registration */
    const char* const* roles;
    size_t role_count; /* entries in roles, at least 1 */
    int32_t order;     /* lower runs first; the default skills use 0..100 */
    void* user_data;   /* skill-owned; passed back to run and destroy */
    /* Receives the plan (JSON: command, args, cwd, env, …). To change it, writes a patch
       {"env":{"K":"V"|null}, "args":["appended"], "cwd":"/dir"} to `patch` (writing nothing
       keeps the plan) and returns MAESTRO_OK. To refuse the spawn: error->set(error,
       MAESTRO_ERR_VETO, reason) and return MAESTRO_ERR_VETO. Any other code fails the spawn.
       May be called from any thread, concurrently. */
    int32_t (*run)(void* user_data, const char* plan_json, const maestro_writer* patch,
                   maestro_error* error);
    void (*destroy)(void* user_data); /* may be NULL */
} maestro_spawn_hook;

/* Host table for MAESTRO_COMMANDS_INTERFACE. Returns MAESTRO_OK, MAESTRO_ERR_ALREADY_EXISTS
   (path taken), MAESTRO_ERR_INVALID_ARGUMENT or MAESTRO_ERR_WRONG_STATE (not during init);
   last_error says why. */
typedef struct maestro_commands_interface {
    size_t struct_size;
    int32_t (*register_command)(const maestro_host* host, const maestro_command* command);
} maestro_commands_interface;

/* Host table for MAESTRO_TEMPLATES_INTERFACE; same result codes. Static text is checked now. */
typedef struct maestro_templates_interface {
    size_t struct_size;
    int32_t (*register_template)(const maestro_host* host, const maestro_template* tmpl);
} maestro_templates_interface;

/* Host table for MAESTRO_SPAWN_HOOKS_INTERFACE; same result codes. */
typedef struct maestro_spawn_hooks_interface {
    size_t struct_size;
    int32_t (*register_spawn_hook)(const maestro_host* host, const maestro_spawn_hook* hook);
} maestro_spawn_hooks_interface;

/*
 * The entry the library exports as `maestro_skill_entry`. Constant data: the host reads it
 * right after loading and before calling anything.
 */
typedef struct maestro_entry {
    size_t struct_size;      /* sizeof(maestro_entry) as compiled by the skill */
    maestro_abi_version abi; /* {MAESTRO_ABI_MAJOR, MAESTRO_ABI_MINOR} the skill was built for */
    const char* id;          /* must equal the id in manifest.json */
    const char* version;     /* the skill's own version, e.g. "1.2.0" */
    /* Called once, on one host thread, before anything else. Registers commands, templates and
       hooks through host->get_interface. Returns MAESTRO_OK, or an error code after
       error->set(…) — the skill is then rejected with that message, deinit is not called, and
       the destroy callbacks of whatever it registered are. `host` lives until deinit returns. */
    int32_t (*init)(const maestro_host* host, maestro_error* error);
    /* Called once after a successful init, when the skill is unloaded, after it is unregistered
       and no callback is running; then the host calls the descriptors' destroy callbacks and
       unloads the library. May be NULL. */
    void (*deinit)(void);
    /* Returns a skill-side interface table for `id`, or NULL. ABI 1.0 defines no skill-side
       interfaces, so return NULL; it exists so later minors can ask for new features without
       changing this struct. May be NULL. */
    const void* (*get_interface)(const char* id);
} maestro_entry;

/* The one exported symbol. Define it with MAESTRO_SKILL_EXPORT (skill.hpp's MAESTRO_SKILL does). */
extern MAESTRO_SKILL_EXPORT const maestro_entry maestro_skill_entry;

#ifdef __cplusplus
}
#endif

#endif /* MAESTRO_SKILL_ABI_H */
