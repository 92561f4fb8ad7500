/*
 * MiosaStream: shows a live desktop from the stream gateway in a customer's page, and replaces
 * the viewer with one on a fresh ticket before the current ticket expires.
 *
 * Load it from the gateway with a classic script tag:
 *
 *   <script src="https://stream.example.com/embed.js"></script>
 *
 * Then embed the desktop in an element that has a size of its own (the frames fill it):
 *
 *   const stream = MiosaStream.embed(document.getElementById('desktop'), {
 *     // Required. Returns a fresh ticket URL, or a promise of one, from your backend.
 *     ticketUrl: async () => (await (await fetch('/ticket', { method: 'POST' })).json()).url,
 *     audio: false,             // true plays the desktop's sound: adds audio=1 to the URL and
 *                               // 'autoplay' to the frame's allow attribute
 *     renew: true,              // false reports 'expiring' but never loads a new ticket
 *     title: 'Remote desktop',  // the frame's accessible name
 *     onState: (state, detail) => console.log(state, detail),
 *   });
 *   stream.destroy();           // removes the frames and stops listening
 *
 * onState receives:
 *   'connected'  the frame shows the desktop. detail.expiresAt is the ticket's expiry (ISO-8601).
 *   'expiring'   the ticket expires soon (detail.expiresAt). With renew, embed calls ticketUrl()
 *                and loads the new URL in a second frame under the shown one.
 *   'switched'   the new frame has connected and replaced the old one (detail.expiresAt).
 *   'reconnecting' the frame lost its connection to the gateway (detail.code 1001 or 1006, as
 *                when a gateway node stops) and loads again with the same ticket.
 *   'closed'     the shown frame's stream has ended. detail.code is the WebSocket close code
 *                (4001 ticket expired, 4003 revoked, 4004 computer not reachable, 4008 input not
 *                allowed) and detail.reason its reason. With renew, a close with 4001 loads a
 *                new ticket. Any other code stops renewing.
 *   'error'      ticketUrl() failed, or the new frame closed or did not connect (detail.error, an
 *                Error). The shown frame stays. detail.retrying is true when embed will try again.
 *                A first frame that posts nothing within 20 s is replaced the same way.
 *
 * The frames send only their state and expiry, never the ticket. Messages count only when they
 * come from one of this embed's frames and from the origin of the URL loaded in it.
 */
(function () {
  'use strict';

  const MESSAGE_SOURCE = 'miosa-stream';
  const FRAME_ALLOW = 'clipboard-read; clipboard-write';

  // Waits before the second, third and fourth attempt at a new ticket. After the fourth failure
  // the shown frame stays until it closes.
  const RETRY_DELAYS_MS = [2000, 5000, 10000];

  // A new frame that posts neither 'connected' nor 'closed' in this time counts as failed, because
  // the gateway's error page for a rejected ticket posts nothing.
  const CONNECT_TIMEOUT_MS = 20000;

  // Close code of a stream whose ticket has expired.
  const CLOSE_TICKET_EXPIRED = 4001;

  const FRAME_STYLE =
    'position:absolute;top:0;left:0;width:100%;height:100%;border:0;margin:0;padding:0;' +
    'display:block;';

  /** Returns the URL's absolute form, throwing unless it is an http or https URL. */
  function checkedUrl(value) {
    const url = new URL(String(value), window.location.href);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(
        'ticketUrl() returned a ' + url.protocol + ' URL, but only http: and https: are embedded');
    }
    return url;
  }

  class EmbeddedStream {
    constructor(container, options) {
      this.options = options;
      this.current = null; // { element, origin } of the shown frame
      this.pending = null; // { element, origin } of the frame loading under it
      this.renewing = false;
      this.attempt = 0;
      // Renewal counter: callbacks of a renewal that has ended see a newer value and do nothing.
      this.run = 0;
      this.timer = null;
      this.firstTimer = null;
      this.destroyed = false;

      this.wrapper = document.createElement('div');
      this.wrapper.style.cssText = 'position:relative;width:100%;height:100%;overflow:hidden;';
      container.appendChild(this.wrapper);

      this.onMessage = this.onMessage.bind(this);
      window.addEventListener('message', this.onMessage);
      this.renew();
    }

    /** Calls ticketUrl() and loads the URL it returns, as the shown frame or under it. */
    renew() {
      const run = ++this.run;
      this.renewing = true;
      this.attempt++;
      Promise.resolve()
        .then(() => this.options.ticketUrl())
        .then((value) => {
          if (run === this.run && !this.destroyed) {
            this.load(checkedUrl(value));
          }
        })
        .catch((error) => {
          if (run === this.run && !this.destroyed) {
            this.fail(error);
          }
        });
    }

    load(url) {
      if (this.options.audio) {
        url.searchParams.set('audio', '1');
      }
      // A URL that carries audio=1 itself gets autoplay too, so that sound can start at once.
      const audio = url.searchParams.get('audio') === '1';
      const element = document.createElement('iframe');
      element.setAttribute('allow', audio ? FRAME_ALLOW + '; autoplay' : FRAME_ALLOW);
      element.setAttribute('title', this.options.title || 'Remote desktop');
      element.style.cssText = FRAME_STYLE;
      element.src = url.href;
      const frame = { element, origin: url.origin };

      if (this.current === null) {
        element.style.zIndex = '1';
        this.wrapper.appendChild(element);
        this.current = frame;
        this.endRenewal();
        // A first frame that neither connects nor closes, such as one whose page failed to load,
        // is replaced by a frame on a new ticket, as a failed renewal would be.
        this.firstTimer = window.setTimeout(() => {
          this.firstTimer = null;
          if (!this.destroyed && !this.renewing) {
            const message = 'The frame did not connect within ' + CONNECT_TIMEOUT_MS + ' ms';
            this.report('error', { error: new Error(message), retrying: true });
            this.renew();
          }
        }, CONNECT_TIMEOUT_MS);
        return;
      }

      // The new frame loads covered by the shown one rather than hidden with CSS, because
      // browsers may stop rendering frames that are hidden, and it must be drawn when it is shown.
      element.style.zIndex = '0';
      element.setAttribute('aria-hidden', 'true');
      element.tabIndex = -1;
      element.inert = true;
      this.wrapper.insertBefore(element, this.current.element);
      this.pending = frame;
      const run = this.run;
      this.timer = window.setTimeout(() => {
        if (run === this.run) {
          const message = 'The new frame did not connect within ' + CONNECT_TIMEOUT_MS + ' ms';
          this.fail(new Error(message));
        }
      }, CONNECT_TIMEOUT_MS);
    }

    /** Shows the pending frame, which has connected, and removes the old one. */
    switchToPending() {
      const old = this.current;
      const next = this.pending;
      next.element.style.zIndex = '1';
      next.element.removeAttribute('aria-hidden');
      next.element.removeAttribute('tabindex');
      next.element.inert = false;
      if (document.activeElement === old.element) {
        next.element.focus();
      }
      old.element.remove();
      this.current = next;
      this.pending = null;
      this.endRenewal();
    }

    fail(error) {
      this.removePending();
      const retrying = this.attempt <= RETRY_DELAYS_MS.length;
      if (retrying) {
        const run = this.run;
        this.timer = window.setTimeout(() => {
          if (run === this.run) {
            this.renew();
          }
        }, RETRY_DELAYS_MS[this.attempt - 1]);
      } else {
        this.endRenewal();
      }
      this.report('error', { error: error instanceof Error ? error : new Error(error), retrying });
    }

    removePending() {
      window.clearTimeout(this.timer);
      this.timer = null;
      if (this.pending !== null) {
        this.pending.element.remove();
        this.pending = null;
      }
    }

    endRenewal() {
      this.removePending();
      this.run++;
      this.renewing = false;
      this.attempt = 0;
    }

    onMessage(event) {
      const data = event.data;
      if (!data || data.source !== MESSAGE_SOURCE || typeof data.state !== 'string') {
        return;
      }
      const frame = [this.current, this.pending].find(
        (candidate) => candidate !== null && event.source === candidate.element.contentWindow);
      if (!frame || event.origin !== frame.origin) {
        return;
      }
      if (frame === this.pending) {
        this.onPendingState(data);
      } else {
        this.onCurrentState(data);
      }
    }

    onCurrentState(data) {
      const renew = this.options.renew !== false;
      window.clearTimeout(this.firstTimer);
      this.firstTimer = null;
      switch (data.state) {
        case 'connected':
          this.report('connected', { expiresAt: data.expires_at });
          break;
        case 'expiring':
          this.report('expiring', { expiresAt: data.expires_at });
          if (renew && !this.renewing) {
            this.renew();
          }
          break;
        case 'reconnecting':
          // The frame lost its gateway node and loads again, on another node behind the load
          // balancer; 'connected' follows once it shows the desktop.
          this.report('reconnecting', { code: data.code });
          break;
        case 'closed':
          if (data.code !== CLOSE_TICKET_EXPIRED) {
            // A revoked ticket, an unreachable computer or rejected input ends the stream for
            // good, so whether to load a new ticket is the customer's decision.
            this.endRenewal();
          } else if (renew && !this.renewing) {
            this.renew();
          }
          this.report('closed', { code: data.code, reason: data.reason });
          break;
        default:
          break;
      }
    }

    onPendingState(data) {
      if (data.state === 'connected') {
        this.switchToPending();
        this.report('switched', { expiresAt: data.expires_at });
      } else if (data.state === 'closed') {
        this.fail(new Error('The new frame closed with code ' + data.code + ': ' + data.reason));
      }
    }

    report(state, detail) {
      if (typeof this.options.onState !== 'function') {
        return;
      }
      try {
        this.options.onState(state, detail);
      } catch (error) {
        console.error('MiosaStream: the onState callback failed', error);
      }
    }

    destroy() {
      this.destroyed = true;
      window.clearTimeout(this.firstTimer);
      this.endRenewal();
      window.removeEventListener('message', this.onMessage);
      this.wrapper.remove();
      this.current = null;
    }
  }

  /** Embeds a desktop in the container and returns its handle, { destroy() }. */
  function embed(container, options) {
    if (!(container instanceof Element)) {
      throw new TypeError('MiosaStream.embed: the container must be a DOM element');
    }
    if (!options || typeof options.ticketUrl !== 'function') {
      throw new TypeError('MiosaStream.embed: options.ticketUrl must be a function');
    }
    const stream = new EmbeddedStream(container, options);
    return Object.freeze({ destroy: () => stream.destroy() });
  }

  window.MiosaStream = Object.freeze({ embed });
})();
