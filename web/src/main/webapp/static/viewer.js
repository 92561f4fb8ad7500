// Viewer page: connects noVNC to the gateway's WebSocket for this computer and reports the
// stream's state to the embedding page.
import RFB from './novnc/core/rfb.js';

// Close codes the gateway sends, and what the viewer shows for each.
const CLOSE_MESSAGES = {
  4001: 'The ticket has expired.',
  4003: 'The ticket has been revoked.',
  4004: 'The computer cannot be reached.',
  4008: 'Input is not allowed on this stream.',
};

const status = document.getElementById('status');
const screen = document.getElementById('screen');

function showStatus(text) {
  status.textContent = text;
  status.hidden = text === '';
}

// The parent learns the state only, never the ticket, so any origin may receive it.
function notifyParent(message) {
  if (window.parent !== window) {
    window.parent.postMessage({ source: 'miosa-stream', ...message }, '*');
  }
}

function websocketUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${location.pathname}/websockify${location.search}`;
}

const socket = new WebSocket(websocketUrl(), ['binary']);
socket.addEventListener('close', (event) => {
  const message = CLOSE_MESSAGES[event.code] || 'The stream has ended.';
  showStatus(message);
  notifyParent({ state: 'closed', code: event.code, reason: event.reason });
});

const rfb = new RFB(screen, socket, { shared: true });
rfb.scaleViewport = true;
rfb.resizeSession = false;
rfb.addEventListener('connect', () => {
  showStatus('');
  notifyParent({ state: 'connected' });
});
rfb.addEventListener('securityfailure', (event) => {
  showStatus(`The desktop refused the connection: ${event.detail.reason || 'security failure'}`);
});
