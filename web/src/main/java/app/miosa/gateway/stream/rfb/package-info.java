/**
 * The RFB filter, both ways. {@link app.miosa.gateway.stream.rfb.ClientMessageParser} parses what
 * a viewer sends after the RFB handshake into whole client-to-server messages and classifies each
 * as input or control, so that a read-only stream can drop input and forward the rest unchanged;
 * unknown messages and protocol violations stop it, so a read-only stream fails closed. {@link
 * app.miosa.gateway.stream.rfb.ServerMessageFramer} delimits what the VNC server sends without
 * buffering it, so that clipboard text over the limit can be dropped on its way to the viewer.
 */
package app.miosa.gateway.stream.rfb;
