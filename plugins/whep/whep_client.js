// Switchboard's WHEP client (draft-ietf-wish-whep), shared by the built-in pages (the
// viewer at / and the chromecast plugin's TV page); CMake pastes it into each page, so a
// page is one file with nothing else to fetch. One recvonly peer connection for video and
// audio; its offer is POSTed once ICE gathering is complete (no trickle needed).
window.SwitchboardWhep = (() => {
  "use strict";
  // Resolves when gathering is complete, or after `ms` with what was gathered so far.
  function gatheringComplete(peer, ms) {
    if (peer.iceGatheringState === "complete") return Promise.resolve();
    return new Promise(resolve => {
      const timer = setTimeout(resolve, ms);
      peer.addEventListener("icegatheringstatechange", () => {
        if (peer.iceGatheringState === "complete") { clearTimeout(timer); resolve(); }
      });
    });
  }

  // A WHEP session playing into `video`. `onState(state)` hears the peer connection's
  // states; close() ends it (DELETE, kept alive while the page unloads). A refusal rejects
  // with an Error whose `status` is the HTTP status (401: the token is not good).
  async function play({ endpoint, token, video, onState }) {
    const headers = extra => Object.assign(token ? { Authorization: "Bearer " + token } : {}, extra);
    const pc = new RTCPeerConnection();
    let resource = null;
    const session = {
      pc,
      close() {
        if (resource) fetch(resource, { method: "DELETE", headers: headers(), keepalive: true }).catch(() => {});
        resource = null;
        pc.close();
      },
    };
    pc.addTransceiver("video", { direction: "recvonly" });
    pc.addTransceiver("audio", { direction: "recvonly" });
    const stream = new MediaStream();
    video.srcObject = stream;
    pc.ontrack = event => {
      stream.addTrack(event.track);
      video.play().catch(() => {});
    };
    pc.onconnectionstatechange = () => onState && onState(pc.connectionState);
    try {
      await pc.setLocalDescription(await pc.createOffer());
      await gatheringComplete(pc, 3000);
      const response = await fetch(endpoint, {
        method: "POST",
        headers: headers({ "Content-Type": "application/sdp" }),
        body: pc.localDescription.sdp,
      });
      const body = await response.text();
      if (response.status !== 201)
        throw Object.assign(new Error(response.status + " " + body.trim()), { status: response.status });
      resource = new URL(response.headers.get("Location"), endpoint).href;
      await pc.setRemoteDescription({ type: "answer", sdp: body });
      return session;
    } catch (e) {
      session.close();
      throw e;
    }
  }

  // Calls onCount(n) with the frames presented so far, as they come; falls back to
  // playback quality where the browser has no requestVideoFrameCallback.
  function countFrames(video, onCount) {
    let frames = 0;
    if ("requestVideoFrameCallback" in HTMLVideoElement.prototype) {
      const onFrame = (now, meta) => {
        frames = Math.max(frames + 1, meta.presentedFrames || 0);
        onCount(frames);
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    } else {
      setInterval(() => {
        const q = video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : null;
        if (q) onCount(frames = q.totalVideoFrames);
      }, 250);
    }
  }

  return { play, countFrames };
})();
