/**
 * The RFB filter: parses what a viewer sends after the RFB handshake into whole client-to-server
 * messages and classifies each as input or control, so that a read-only stream can drop input and
 * forward the rest unchanged. Unknown messages and protocol violations stop the parser, so a
 * read-only stream fails closed.
 */
package app.miosa.gateway.stream.rfb;
