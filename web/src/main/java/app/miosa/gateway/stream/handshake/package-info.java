/**
 * The RFB handshakes the gateway performs itself: as a client toward the computer's VNC server
 * (versions 3.3, 3.7 and 3.8, security None or VNC authentication with the stored password), and
 * as a server toward the viewer (security None), so the viewer never sees the VNC password. Both
 * are state machines fed with bytes as they arrive, without I/O of their own.
 */
package app.miosa.gateway.stream.handshake;
