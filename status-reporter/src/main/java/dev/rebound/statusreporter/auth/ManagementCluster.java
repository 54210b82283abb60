package dev.rebound.statusreporter.auth;

import dev.rebound.support.kube.ManagementClient;

import dev.rebound.support.kube.TargetClusters;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The management cluster's answers: TokenReviews (who a Kubernetes token belongs to) and
 * SubjectAccessReviews (whether a user may do something), asked with Rebound's own credentials,
 * which need the {@code system:auth-delegator} ClusterRole.
 */
final class ManagementCluster implements AutoCloseable {

  private final TargetClusters clusters;
  private final Optional<List<String>> audiences;
  private final String where;

  ManagementCluster(Optional<Path> kubeconfig, Optional<List<String>> audiences) {
    this.clusters = ManagementClient.of(kubeconfig);
    this.audiences = audiences;
    this.where = ManagementClient.where(kubeconfig);
  }

  /** The user of a Kubernetes bearer token, as the management cluster's authenticators see it. */
  Identity review(String token) throws AuthenticationException {
    TokenReview review;
    try {
      review = client().authentication().v1().tokenReviews().create(new TokenReviewBuilder().withNewSpec()
          .withToken(token).withAudiences(audiences.orElse(null)).endSpec().build());
    } catch (KubernetesClientException e) {
      throw AuthenticationException.unavailable("cannot authenticate the token: the TokenReview to " + where
          + " failed: " + reason(e, "create", "tokenreviews.authentication.k8s.io"), e);
    } catch (RuntimeException e) {
      throw AuthenticationException.unavailable("cannot authenticate the token: " + where + " cannot be reached: "
          + e.getMessage(), e);
    }
    var status = review.getStatus();
    if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null) {
      String error = status == null || status.getError() == null || status.getError().isBlank() ? ""
          : " (" + status.getError() + ")";
      throw AuthenticationException.rejected("the bearer token is not valid for " + where + error);
    }
    UserInfo user = status.getUser();
    return new Identity(user.getUsername(), user.getGroups() == null ? List.of() : user.getGroups(), "kubernetes");
  }

  /** Whether the management cluster's authorizers (RBAC) allow {@code who} {@code permission}. */
  boolean allows(Identity who, Permission permission) throws AuthenticationException {
    SubjectAccessReviewBuilder review = new SubjectAccessReviewBuilder().withNewSpec().withUser(who.username())
        .withGroups(who.groups()).endSpec();
    if (permission.nonResource()) {
      review.editSpec().withNewNonResourceAttributes().withVerb(permission.verb()).withPath(permission.path())
          .endNonResourceAttributes().endSpec();
    } else {
      review.editSpec().withNewResourceAttributes().withVerb(permission.verb()).withGroup(permission.group())
          .withResource(permission.resource()).withName(permission.name()).withNamespace(permission.namespace())
          .endResourceAttributes().endSpec();
    }
    SubjectAccessReview answer;
    try {
      answer = client().authorization().v1().subjectAccessReview().create(review.build());
    } catch (KubernetesClientException e) {
      throw AuthenticationException.unavailable("cannot authorize the request: the SubjectAccessReview to " + where
          + " failed: " + reason(e, "create", "subjectaccessreviews.authorization.k8s.io"), e);
    } catch (RuntimeException e) {
      throw AuthenticationException.unavailable("cannot authorize the request: " + where + " cannot be reached: "
          + e.getMessage(), e);
    }
    return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
  }

  private static String reason(KubernetesClientException e, String verb, String resource) {
    if (e.getCode() == 403) {
      return "Rebound's own credentials may not " + verb + " " + resource
          + " (bind its service account to the ClusterRole system:auth-delegator): " + e.getMessage();
    }
    return e.getMessage();
  }

  private KubernetesClient client() {
    return clusters.defaultClient();
  }

  @Override
  public void close() {
    clusters.close();
  }
}
