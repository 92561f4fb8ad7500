package app.miosa.gateway.api;

/** Roles a bearer token's {@code groups} claim grants. */
public final class Roles {
  public static final String TICKETS_ISSUE = "tickets:issue";
  public static final String TICKETS_REVOKE = "tickets:revoke";
  public static final String COMPUTERS_MANAGE = "computers:manage";
  public static final String AUDIT_READ = "audit:read";

  private Roles() {}
}
