// Plays the computer's audio: Opus in WebM from the gateway's audio WebSocket, decoded by the
// browser itself through Media Source Extensions, kept close behind the live edge.

const MIME_TYPE = 'audio/webm; codecs="opus"';

// When playback falls further than this behind the newest audio received, it jumps forward to
// TARGET_LATENCY_S behind it. Audio arrives in clusters of about 100 ms.
const MAX_LATENCY_S = 0.4;
const TARGET_LATENCY_S = 0.15;

// Audio further than this behind the playback position leaves the buffer, checked this often.
const KEEP_BEHIND_S = 10;
const TRIM_EVERY_MS = 5_000;

/**
 * Plays one audio stream in a hidden audio element, and calls `onClose(event, receivedAudio)` once its
 * WebSocket has closed. `receivedAudio` is true when any audio arrived. When the browser refuses to start sound
 * without a user gesture, playback starts muted so that it stays live, and `unmuteButton` shows.
 * A click on it, or any click or key press in the page, turns the sound on.
 */
export class AudioPlayer {
  constructor(url, unmuteButton, onClose) {
    this.unmuteButton = unmuteButton;
    this.receivedAudio = false;
    this.queue = [];
    this.buffer = null;
    this.closed = false;
    this.lastTrim = performance.now();

    this.element = document.createElement('audio');
    this.element.id = 'audio';
    document.body.appendChild(this.element);
    this.mediaSource = new MediaSource();
    this.element.src = URL.createObjectURL(this.mediaSource);
    this.mediaSource.addEventListener('sourceopen', () => this.onSourceOpen(), { once: true });

    this.socket = new WebSocket(url);
    this.socket.binaryType = 'arraybuffer';
    this.socket.addEventListener('message', (event) => {
      this.receivedAudio = true;
      this.queue.push(event.data);
      this.appendNext();
    });
    this.socket.addEventListener('close', (event) => {
      this.close();
      this.element.remove();
      onClose(event, this.receivedAudio);
    });

    this.unmute = this.unmute.bind(this);
    unmuteButton.addEventListener('click', this.unmute);
    this.start();
  }

  /** Stops playback and closes the audio stream. */
  close() {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.queue = [];
    this.socket.close();
    this.element.pause();
    this.hideUnmute();
  }

  onSourceOpen() {
    URL.revokeObjectURL(this.element.src);
    this.buffer = this.mediaSource.addSourceBuffer(MIME_TYPE);
    this.buffer.addEventListener('updateend', () => {
      this.keepLive();
      this.appendNext();
    });
    this.appendNext();
  }

  appendNext() {
    if (this.closed || this.buffer === null || this.buffer.updating) {
      return;
    }
    if (performance.now() - this.lastTrim > TRIM_EVERY_MS && this.trim()) {
      return;
    }
    if (this.queue.length === 0) {
      return;
    }
    // Chunks that queued up while the buffer was busy go in with one append.
    const chunk = this.queue.length === 1 ? this.queue[0] : concatenate(this.queue);
    this.queue = [];
    try {
      this.buffer.appendBuffer(chunk);
    } catch (error) {
      // A stream the browser cannot decode, or a full buffer: no sound rather than a broken page.
      console.warn('Audio stopped: ' + error);
      this.close();
    }
  }

  /** Removes audio long played from the buffer. Returns whether a removal has started. */
  trim() {
    this.lastTrim = performance.now();
    const removeUntil = this.element.currentTime - KEEP_BEHIND_S;
    const buffered = this.buffer.buffered;
    if (buffered.length === 0 || removeUntil <= buffered.start(0)) {
      return false;
    }
    this.buffer.remove(0, removeUntil);
    return true;
  }

  /** Jumps forward when playback has fallen too far behind the newest audio. */
  keepLive() {
    const buffered = this.element.buffered;
    if (buffered.length === 0) {
      return;
    }
    const liveEdge = buffered.end(buffered.length - 1);
    if (liveEdge - this.element.currentTime > MAX_LATENCY_S) {
      this.element.currentTime = Math.max(buffered.start(buffered.length - 1),
        liveEdge - TARGET_LATENCY_S);
    }
  }

  async start() {
    try {
      await this.element.play();
    } catch (error) {
      if (error.name !== 'NotAllowedError' || this.closed) {
        return;
      }
      // Muted playback needs no gesture; it keeps the stream live until the user turns sound on.
      this.element.muted = true;
      this.unmuteButton.hidden = false;
      document.addEventListener('pointerdown', this.unmute, { capture: true });
      document.addEventListener('keydown', this.unmute, { capture: true });
      this.element.play().catch(() => {});
    }
  }

  unmute() {
    this.hideUnmute();
    if (this.closed) {
      return;
    }
    this.element.muted = false;
    this.element.play().catch(() => {});
  }

  hideUnmute() {
    this.unmuteButton.hidden = true;
    document.removeEventListener('pointerdown', this.unmute, { capture: true });
    document.removeEventListener('keydown', this.unmute, { capture: true });
  }
}

function concatenate(chunks) {
  const length = chunks.reduce((total, chunk) => total + chunk.byteLength, 0);
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(new Uint8Array(chunk), offset);
    offset += chunk.byteLength;
  }
  return joined;
}
