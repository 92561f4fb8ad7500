package app.miosa.gateway.ticket;

/**
 * A ticket just signed: the token to hand out and what it grants.
 *
 * @param token the whole token; return it to the caller and never log it
 * @param claims what the token grants
 */
public record IssuedTicket(String token, TicketClaims claims) {}
