package app.miosa.gateway.tenant;

import java.time.Duration;

/**
 * Ticket lifetimes of a plan: the lifetime of a ticket whose request names none, and the longest
 * one a request may ask for.
 *
 * @param name the plan's name in server config
 * @param defaultTtl lifetime of a ticket whose request names none
 * @param maxTtl longest lifetime a request may ask for
 */
public record Plan(String name, Duration defaultTtl, Duration maxTtl) {}
