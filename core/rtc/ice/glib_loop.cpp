#include "rtc/ice/glib_loop.hpp"

#include <glib.h>

#include <cassert>
#include <future>

namespace switchboard::rtc {

struct GlibLoop::State {
    GMainContext* context = nullptr;
    GMainLoop* loop = nullptr;
    std::thread::id thread_id;
};

namespace {

gboolean run_function(gpointer data) {
    (*static_cast<std::function<void()>*>(data))();
    return G_SOURCE_REMOVE;
}

void delete_function(gpointer data) {
    delete static_cast<std::function<void()>*>(data);
}

}  // namespace

GlibLoop::GlibLoop() : m_state(std::make_unique<State>()) {
    m_state->context = g_main_context_new();
    m_state->loop = g_main_loop_new(m_state->context, FALSE);
    std::promise<void> started;
    auto ready = started.get_future();
    m_thread = std::thread([this, &started] {
        m_state->thread_id = std::this_thread::get_id();
        g_main_context_push_thread_default(m_state->context);
        // Signal from inside the loop, so invoke() from now on finds the context owned.
        GSource* idle = g_idle_source_new();
        g_source_set_callback(
            idle,
            [](gpointer p) -> gboolean {
                static_cast<std::promise<void>*>(p)->set_value();
                return G_SOURCE_REMOVE;
            },
            &started, nullptr);
        g_source_attach(idle, m_state->context);
        g_source_unref(idle);
        g_main_loop_run(m_state->loop);
        g_main_context_pop_thread_default(m_state->context);
    });
    ready.wait();
}

GlibLoop::~GlibLoop() {
    stop();
    g_main_loop_unref(m_state->loop);
    g_main_context_unref(m_state->context);
}

void GlibLoop::invoke(std::function<void()> fn) {
    if (on_loop_thread()) {
        fn();
        return;
    }
    // Held by stop() until the thread is joined and the queue drained: after that the
    // caller is the only one left to run `fn`.
    std::unique_lock lock(m_mutex);
    if (m_stopping) {
        lock.unlock();
        fn();
        return;
    }
    // An idle source rather than g_main_context_invoke_full: the latter runs `fn` on the
    // calling thread when it can acquire the context (e.g. during stop()'s drain).
    GSource* source = g_idle_source_new();
    g_source_set_priority(source, G_PRIORITY_DEFAULT);
    g_source_set_callback(source, run_function, new std::function<void()>(std::move(fn)), delete_function);
    g_source_attach(source, m_state->context);
    g_source_unref(source);
}

void GlibLoop::invoke_and_wait(std::function<void()> fn) {
    std::promise<void> done;
    auto finished = done.get_future();
    invoke([&fn, &done] {
        fn();
        done.set_value();
    });
    finished.wait();
}

bool GlibLoop::on_loop_thread() const noexcept {
    return std::this_thread::get_id() == m_state->thread_id;
}

void GlibLoop::stop() {
    assert(!on_loop_thread());
    std::lock_guard lock(m_mutex);
    if (m_stopping) return;
    {
        // Quit from inside the loop: a quit before g_main_loop_run started would be lost.
        GSource* source = g_idle_source_new();
        g_source_set_callback(
            source,
            [](gpointer loop) -> gboolean {
                g_main_loop_quit(static_cast<GMainLoop*>(loop));
                return G_SOURCE_REMOVE;
            },
            m_state->loop, nullptr);
        g_source_attach(source, m_state->context);
        g_source_unref(source);
    }
    m_stopping = true;
    if (m_thread.joinable()) m_thread.join();
    // Drain what was queued before or during the quit (agent releases), bounded so a
    // source that re-arms itself forever cannot hang shutdown.
    g_main_context_push_thread_default(m_state->context);
    for (int i = 0; i < 1000 && g_main_context_iteration(m_state->context, FALSE); ++i) {
    }
    g_main_context_pop_thread_default(m_state->context);
}

void* GlibLoop::native_context() const noexcept {
    return m_state->context;
}

}  // namespace switchboard::rtc
