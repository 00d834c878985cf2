/// \file node.hpp
/// \brief Nodes, their ports, and the context the host gives each node.
///
/// Life cycle of a node, all driven by the host:
///  1. The factory (plugin.hpp) constructs it from its validated config and a NodeContext.
///  2. Negotiation, on the control thread, before anything runs: the host reads
///     input_ports(), settles each input link on one Format and tells the node through
///     set_input_format(), then reads output_ports() again, whose formats may now depend
///     on the inputs (an encoder's size follows its input).
///  3. start(), then on_frame() / on_keyframe_request() / on_end_of_stream(), then stop().
///     All of these run on the node's own executor (a strand on the media workers): never
///     two at once for one node, so a node needs no lock for its own state.
///
/// Every virtual here is noexcept: exceptions never cross the plugin boundary. Report
/// failure through Result (before running) or NodeContext::fail() (while running).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include <switchboard/abi.hpp>
#include <switchboard/errors.hpp>
#include <switchboard/format.hpp>
#include <switchboard/frame.hpp>
#include <switchboard/log.hpp>

namespace switchboard {

class CallHost;
class Station;
struct StationCall;

/// Index of a port in the node's input_ports() or output_ports() list.
using PortIndex = std::uint32_t;

/// A named port and the formats it offers (output) or accepts (input), best first.
struct PortSpec {
    std::string name;
    MediaKind kind = MediaKind::video;
    FormatSet formats;
    /// The formats are only known after a negotiation with a far side (a call's SDP);
    /// `formats` then lists what the far side might pick, and `switchboard check` prints
    /// a plan for each.
    bool negotiated = false;
};

/// What the host offers a node. Implemented by the host; owned by it and valid for the
/// node's whole life.
class SWITCHBOARD_INTERFACE NodeContext {
public:
    virtual ~NodeContext() = default;

    /// The node's name in the config ("camera").
    virtual std::string_view name() const noexcept = 0;
    /// A logger whose lines carry the node's name.
    virtual Logger& log() noexcept = 0;

    /// The node's own serial executor on the media worker threads. Every Node callback
    /// runs here; post heavy work (decode, encode, demux) here too, and set your timers
    /// on it. Blocking here stalls this node only.
    virtual boost::asio::any_io_executor executor() noexcept = 0;
    /// The control loop (network I/O, signalling, protocol timers). Never block on it.
    virtual boost::asio::any_io_executor io_executor() noexcept = 0;

    /// Sends a frame out of an output port to every link from it. Never blocks: a full
    /// link drops its oldest frames (up to the next keyframe) and counts the drop. Call
    /// it from the node's executor.
    virtual void emit(PortIndex output, Frame frame) noexcept = 0;
    /// Asks whatever feeds `input` for a keyframe. Requests are coalesced upstream until
    /// a keyframe passes. Any thread.
    virtual void request_keyframe(PortIndex input) noexcept = 0;
    /// Tells whatever feeds `input` that the far side of it can take at most this many
    /// bits per second (a viewer's REMB). Requests travel upstream to the node that can
    /// act on them (an encoder); an output feeding several links acts on the smallest
    /// request heard in the last few seconds, so a receiver that stops asking stops
    /// holding the others down. Any thread.
    virtual void request_bitrate(PortIndex input, std::uint64_t bits_per_second) noexcept = 0;
    /// A source says it has no more media (end of file, a set frame count): its outputs
    /// end once what was emitted has been delivered. Any thread.
    virtual void finished() noexcept = 0;
    /// The node cannot go on. The host logs the error with the node's name and stops the
    /// graph with exit code 1. Any thread.
    virtual void fail(Error error) noexcept = 0;

    /// WebRTC calls for a signalling node (call.hpp), made by the host and sending from
    /// or receiving into this node's ports. Valid for the node's whole life.
    virtual CallHost& calls() noexcept = 0;
    /// A folder of this node's own for what must survive a restart (a device id, a sync
    /// position): `<state_dir>/<node name>` from the config's /state_dir. The node creates
    /// it when it first writes. Empty when the config sets no /state_dir.
    virtual std::string state_dir() const noexcept = 0;
    /// A station (station.hpp) reports each change of one of its calls (it rings, connects,
    /// ends): every node downstream of this one gets it in Node::on_call(), so a sink that
    /// shows the far side (a TV) can get ready while the call rings and let go when it
    /// ends. Any thread; the same call may be reported again unchanged.
    virtual void report_call(const StationCall& call) noexcept = 0;
};

/// A processing element in the graph. Subclass it in a plugin; see the file comment for
/// the order of calls and the threads they run on.
class SWITCHBOARD_INTERFACE Node {
public:
    virtual ~Node() = default;

    /// The input ports and what each accepts. Stable for the node's life.
    virtual std::vector<PortSpec> input_ports() const noexcept = 0;
    /// The output ports and what each offers; may be narrowed by set_input_format().
    virtual std::vector<PortSpec> output_ports() const noexcept = 0;

    /// The format the link into `input` settled on; one call per linked input, in port
    /// order, before start(). Refuse with Error::invalid if it cannot be handled.
    virtual Result<void> set_input_format(PortIndex input, const Format& format) noexcept {
        (void)input;
        (void)format;
        return {};
    }

    /// Begin work (open devices, arm timers). An error here stops the graph (exit 1).
    virtual Result<void> start() noexcept { return {}; }
    /// Stop work and release what start() took; flush files. Called exactly once, last,
    /// also when start() was never called or failed. After it returns no handler of the
    /// node may touch it: cancel timers, and ignore operation_aborted.
    virtual void stop() noexcept {}

    /// A frame arrived on `input`.
    virtual void on_frame(PortIndex input, Frame&& frame) noexcept {
        (void)input;
        (void)frame;
    }
    /// Someone downstream of `output` needs a keyframe. Return true when this node will
    /// make one (an encoder); false lets the host pass the request on to this node's
    /// inputs of the same media kind (a passthrough).
    virtual bool on_keyframe_request(PortIndex output) noexcept {
        (void)output;
        return false;
    }
    /// Downstream of `output` the path takes at most `bits_per_second` (the smallest of
    /// the recent requests, see NodeContext::request_bitrate). Return true when this node
    /// acts on it (an encoder changes its rate); false passes it on to this node's inputs
    /// of the same media kind.
    virtual bool on_bitrate_request(PortIndex output, std::uint64_t bits_per_second) noexcept {
        (void)output;
        (void)bits_per_second;
        return false;
    }
    /// Every input has ended and all their frames were delivered. Emit what is still
    /// buffered (an encoder's delayed packets); the host ends this node's outputs after
    /// this returns.
    virtual void on_end_of_stream() noexcept {}
    /// A call of a station upstream of this node changed (NodeContext::report_call), in
    /// the order the station reported. Nodes in between (converters) see it too and may
    /// ignore it.
    virtual void on_call(const StationCall& call) noexcept { (void)call; }

    /// A signalling node that places and takes calls for a person (station.hpp) returns
    /// itself here, so the control API can reach it; the host asks after start().
    virtual Station* station() noexcept { return nullptr; }
};

}  // namespace switchboard
