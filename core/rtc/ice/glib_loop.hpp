/// \file glib_loop.hpp
/// \brief The GLib main loop thread that drives libnice (architecture.md §4).
///
/// libnice needs a GMainContext to run its sockets and timers. One GlibLoop owns a
/// private context (never the global default one), a GMainLoop and the thread that runs
/// it. There is no hidden global: the owner (the core, or a test) creates one loop and
/// passes it to every IceTransport; two loops in one process are independent.
///
/// Lifetime: the loop must outlive every IceTransport created on it. stop() (or the
/// destructor) quits the loop, joins the thread and then runs what is still queued on
/// the context from the calling thread, so an agent handed over for release by a
/// transport's close() is still freed. GLib types stay inside core/rtc/ice: this header
/// names none.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace switchboard::rtc {

class GlibLoop {
public:
    /// Creates the context and starts the loop thread.
    GlibLoop();
    /// stop().
    ~GlibLoop();
    GlibLoop(const GlibLoop&) = delete;
    GlibLoop& operator=(const GlibLoop&) = delete;

    /// Runs `fn` on the loop thread, soon; from the loop thread itself it runs at once.
    /// Thread-safe. Once stop() has begun, `fn` runs at once on the calling thread (the
    /// loop thread is gone, so nothing else touches the context's sources). `fn` must not
    /// throw.
    void invoke(std::function<void()> fn);
    /// invoke() and wait until `fn` has run. Never call it from a function that the loop
    /// thread waits for.
    void invoke_and_wait(std::function<void()> fn);

    /// True when called on the loop thread.
    bool on_loop_thread() const noexcept;

    /// Quits the loop, joins the thread and drains what was queued. Idempotent; never
    /// call it from the loop thread.
    void stop();

    /// The GMainContext* as an opaque pointer, for code inside core/rtc/ice only.
    void* native_context() const noexcept;

private:
    struct State;
    std::unique_ptr<State> m_state;  ///< GLib objects, hidden from this header
    std::recursive_mutex m_mutex;    ///< held by stop() throughout; orders invoke() against it
    bool m_stopping = false;         ///< under m_mutex: invoke() runs functions inline
    std::thread m_thread;            ///< runs g_main_loop_run
};

}  // namespace switchboard::rtc
