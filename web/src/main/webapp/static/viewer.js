// Viewer page: connects noVNC to the gateway's WebSocket for this computer, plays the computer's
// audio when the page was asked for it, and reports the stream's state to the embedding page.
import RFB from './novnc/core/rfb.js';
import { AudioPlayer } from './audio.js';

// Close codes the gateway sends, and what the viewer shows for each.
const CLOSE_MESSAGES = {
  4001: 'The ticket has expired.',
  4003: 'The ticket has been revoked.',
  4004: 'The computer cannot be reached.',
  4008: 'Input is not allowed on this stream.',
};

// The 'expiring' message goes out this long before the ticket's expiry, or a third of the
// lifetime left when the page was served if that is shorter.
const EXPIRY_WARNING_MAX_MS = 30_000;

// How often the viewer looks for the first screen on the canvas, and how long before it reports
// 'connected' without having seen it.
const FIRST_SCREEN_POLL_MS = 50;
const FIRST_SCREEN_MAX_WAIT_MS = 10_000;

const status = document.getElementById('status');
const screen = document.getElementById('screen');
let closed = false;

function showStatus(text) {
  status.textContent = text;
  status.hidden = text === '';
}

// The parent learns the state and the expiry only, never the ticket, so any origin may receive it.
function notifyParent(message) {
  if (window.parent !== window) {
    window.parent.postMessage({ source: 'miosa-stream', ...message }, '*');
  }
}

function websocketUrl(segment) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${location.pathname}/${segment}${location.search}`;
}

function metaContent(name) {
  const meta = document.querySelector(`meta[name="${name}"]`);
  return meta ? meta.content : '';
}

const expiresAt = metaContent('ticket-expires-at');

/**
 * Posts 'expiring' ahead of the ticket's expiry. The lifetime left comes from the server's clock
 * (the expiry minus the time the page was served), so a wrong browser clock does not move the
 * warning. The delay counts from the start of this page's navigation, so network time only makes
 * the warning earlier.
 */
function scheduleExpiryWarning() {
  const lifetimeLeftMs = Date.parse(expiresAt) - Date.parse(metaContent('served-at'));
  if (!Number.isFinite(lifetimeLeftMs)) {
    return;
  }
  const leadMs = Math.min(EXPIRY_WARNING_MAX_MS, lifetimeLeftMs / 3);
  const delayMs = Math.max(0, lifetimeLeftMs - leadMs - performance.now());
  setTimeout(() => {
    if (!closed) {
      notifyParent({ state: 'expiring', expires_at: expiresAt });
    }
  }, delayMs);
}

/**
 * Returns whether noVNC has drawn on its canvas. The canvas stays transparent until the first
 * framebuffer update is drawn, and noVNC draws opaque pixels, so a few sampled points suffice.
 */
function screenDrawn() {
  const canvas = screen.querySelector('canvas');
  if (!canvas || canvas.width === 0 || canvas.height === 0) {
    return false;
  }
  const context = canvas.getContext('2d');
  const points = [[1, 1], [1, 3], [3, 1], [3, 3], [2, 2]];
  return points.some(([x, y]) => {
    const px = Math.floor((canvas.width * x) / 4);
    const py = Math.floor((canvas.height * y) / 4);
    return context.getImageData(px, py, 1, 1).data[3] === 255;
  });
}

/**
 * Calls back once the first screen of the desktop is on the canvas, so that the parent never
 * shows an empty frame on 'connected'. noVNC has no event for it, so the canvas is polled.
 */
function whenScreenDrawn(callback) {
  const started = performance.now();
  const poll = () => {
    if (closed) {
      return;
    }
    if (screenDrawn() || performance.now() - started > FIRST_SCREEN_MAX_WAIT_MS) {
      callback();
      return;
    }
    setTimeout(poll, FIRST_SCREEN_POLL_MS);
  };
  poll();
}

// The gateway fills in 'on' only when the URL has audio=1 and the computer has an audio source.
let audio = null;

// When the audio stream ends while the desktop stream goes on (its source restarted, say), the
// viewer opens it again after these waits. Audio heard in between starts the waits over.
const AUDIO_RETRY_DELAYS_MS = [2_000, 5_000, 10_000];
// Close codes after which opening the audio stream again cannot help.
const AUDIO_FINAL_CLOSE_CODES = new Set([1003, 1008, 4001, 4003]);
let audioRetries = 0;

function startAudio() {
  audio = new AudioPlayer(websocketUrl('audio'), document.getElementById('unmute'),
    (event, receivedAudio) => {
      if (receivedAudio) {
        audioRetries = 0;
      }
      if (closed || AUDIO_FINAL_CLOSE_CODES.has(event.code)
          || audioRetries >= AUDIO_RETRY_DELAYS_MS.length) {
        return;
      }
      setTimeout(() => {
        if (!closed) {
          startAudio();
        }
      }, AUDIO_RETRY_DELAYS_MS[audioRetries++]);
    });
}

// Close codes of a connection lost without a close from the gateway's application, as when the
// gateway node stops (1001) or dies (1006). The viewer then loads its page again, which a load
// balancer sends to a node that runs, with the same ticket while it is valid.
const RECONNECT_CLOSE_CODES = new Set([1001, 1006]);
const RECONNECT_DELAYS_MS = [500, 2_000, 5_000, 10_000];
// A ticket closer to its expiry than this is not worth a reconnection.
const RECONNECT_MIN_LIFETIME_MS = 3_000;
const RECONNECT_KEY = 'miosa-stream-reconnects';

/** Returns the reconnection attempts made since the last connection, kept across reloads. */
function reconnectAttempts() {
  try {
    return Number(sessionStorage.getItem(RECONNECT_KEY)) || 0;
  } catch (error) {
    return RECONNECT_DELAYS_MS.length;
  }
}

function setReconnectAttempts(count) {
  try {
    sessionStorage.setItem(RECONNECT_KEY, String(count));
  } catch (error) {
    // Without storage the viewer does not reconnect, because it could not count its attempts.
  }
}

/** Returns the ticket's lifetime left in milliseconds, measured on the gateway's clock. */
function lifetimeLeftMs() {
  return Date.parse(expiresAt) - Date.parse(metaContent('served-at')) - performance.now();
}

// Whether this page's stream reached the desktop. A stream that never did is not reconnected
// unless it is itself a reconnection, because its close code is more useful than a retry.
let everConnected = false;

/** Loads the page again after a lost connection; returns false when it will not try. */
function reconnect(code) {
  const attempt = reconnectAttempts();
  if (!RECONNECT_CLOSE_CODES.has(code) || !(everConnected || attempt > 0)
      || attempt >= RECONNECT_DELAYS_MS.length
      || !(lifetimeLeftMs() > RECONNECT_MIN_LIFETIME_MS)) {
    return false;
  }
  setReconnectAttempts(attempt + 1);
  showStatus('The connection was lost. Reconnecting…');
  notifyParent({ state: 'reconnecting', code });
  setTimeout(() => location.reload(), RECONNECT_DELAYS_MS[attempt]);
  return true;
}

const socket = new WebSocket(websocketUrl('websockify'), ['binary']);
socket.addEventListener('close', (event) => {
  closed = true;
  if (audio !== null) {
    audio.close();
  }
  if (reconnect(event.code)) {
    return;
  }
  const message = CLOSE_MESSAGES[event.code] || 'The stream has ended.';
  showStatus(message);
  notifyParent({ state: 'closed', code: event.code, reason: event.reason });
});

const rfb = new RFB(screen, socket, { shared: true });
rfb.scaleViewport = true;
rfb.resizeSession = false;
rfb.addEventListener('connect', () => {
  showStatus('');
  everConnected = true;
  setReconnectAttempts(0);
  if (metaContent('audio') === 'on' && !closed) {
    startAudio();
  }
  whenScreenDrawn(() => notifyParent({ state: 'connected', expires_at: expiresAt }));
});
rfb.addEventListener('securityfailure', (event) => {
  showStatus(`The desktop refused the connection: ${event.detail.reason || 'security failure'}`);
});

// Keyboard input goes to noVNC's canvas, so focus follows the frame into it, for instance when
// the embedding page moves focus to a new frame.
window.addEventListener('focus', () => rfb.focus());

scheduleExpiryWarning();
