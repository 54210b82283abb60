package dev.rebound.statusreporter.auth;

import java.util.List;

/**
 * An authenticated caller: the user name and groups its token stands for, as the API server would
 * put them in a SubjectAccessReview, and how it was authenticated.
 *
 * @param method {@code kubernetes} (TokenReview), {@code oidc} (JWT) or {@code none} (authentication off)
 */
public record Identity(String username, List<String> groups, String method) {

  public static final Identity ANONYMOUS = new Identity("system:anonymous", List.of("system:unauthenticated"), "none");

  public Identity {
    groups = List.copyOf(groups);
  }
}
