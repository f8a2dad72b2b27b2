package org.evidencekit.storage.s3;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real client that stops sending once a chosen request has gone through: what the server holds
 * then is what a process that died at that moment leaves behind. Every request reaches the real
 * server until then; afterwards every request fails as a connection would, without reaching it.
 * Also made to fail chosen requests unsent ({@link #refusing}) or hold them back until released
 * ({@link #holding}). The S3 client is the SDK's, not ours: our store runs unchanged over it.
 */
final class DyingS3Client implements InvocationHandler {
  /**
   * One request: its operation ({@code putObject}) and the object key it names, or for a listing
   * the prefix it lists, or "".
   */
  record Call(String operation, String key) {}

  private final S3Client real;
  private final Predicate<Call> lastOne;
  private final Predicate<Call> refused;
  private Predicate<Call> held = c -> false;
  private CountDownLatch release = new CountDownLatch(0);
  private final List<Call> sent = new CopyOnWriteArrayList<>();
  private volatile boolean dead;

  private DyingS3Client(S3Client real, Predicate<Call> lastOne, Predicate<Call> refused) {
    this.real = real;
    this.lastOne = lastOne;
    this.refused = refused;
  }

  /** A client that dies right after sending the first request {@code lastOne} matches. */
  static DyingS3Client after(S3Client real, Predicate<Call> lastOne) {
    return new DyingS3Client(real, lastOne, c -> false);
  }

  /**
   * A client that never dies but fails the requests {@code refused} matches, unsent, as a dropped
   * connection would.
   */
  static DyingS3Client refusing(S3Client real, Predicate<Call> refused) {
    return new DyingS3Client(real, c -> false, refused);
  }

  /** A client that holds back the requests {@code held} matches until {@code release} opens. */
  static DyingS3Client holding(S3Client real, Predicate<Call> held, CountDownLatch release) {
    DyingS3Client c = new DyingS3Client(real, x -> false, x -> false);
    c.held = held;
    c.release = release;
    return c;
  }

  /**
   * A client that runs {@code before} ahead of each request (it may block, to put the requests of
   * two writers in a chosen order) and {@code after} once the request has gone through; it never
   * dies.
   */
  static DyingS3Client hooked(S3Client real, Consumer<Call> before, Consumer<Call> after) {
    DyingS3Client c =
        new DyingS3Client(
            real,
            x -> {
              after.accept(x);
              return false;
            },
            x -> false);
    c.held =
        x -> {
          before.accept(x);
          return false;
        };
    return c;
  }

  S3Client client() {
    return (S3Client)
        Proxy.newProxyInstance(
            S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class}, this);
  }

  boolean dead() {
    return dead;
  }

  /** The requests that reached the server, in order. */
  List<Call> sent() {
    return List.copyOf(sent);
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String op = method.getName();
    if (op.equals("close") || op.equals("serviceName") || op.equals("serviceClientConfiguration")) {
      return method.invoke(real, args);
    }
    if (op.equals("toString") || op.equals("hashCode") || op.equals("equals")) {
      return method.invoke(real, args);
    }
    Object[] a = args == null ? new Object[0] : args.clone();
    Class<?>[] types = method.getParameterTypes().clone();
    if (a.length > 0 && a[0] instanceof Consumer<?> c) {
      // the consumer form: build the request, so its key can be seen
      Class<?> requestType =
          Class.forName(
              "software.amazon.awssdk.services.s3.model."
                  + op.substring(0, 1).toUpperCase(Locale.ROOT)
                  + op.substring(1)
                  + "Request");
      Method builderOf = requestType.getMethod("builder");
      Object builder = builderOf.invoke(null);
      @SuppressWarnings("unchecked")
      Consumer<Object> consumer = (Consumer<Object>) c;
      consumer.accept(builder);
      a[0] = builderOf.getReturnType().getMethod("build").invoke(builder);
      types[0] = requestType;
    }
    String key =
        a.length > 0 && a[0] instanceof SdkRequest r
            ? r.getValueForField("Key", String.class)
                .or(() -> r.getValueForField("Prefix", String.class))
                .orElse("")
            : "";
    Call call = new Call(op, key);
    if (dead) {
      throw SdkClientException.create("the process died before " + call);
    }
    if (refused.test(call)) {
      throw SdkClientException.create("the connection dropped: " + call + " was not sent");
    }
    if (held.test(call)) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw SdkClientException.create("interrupted before " + call + " was sent", e);
      }
    }
    Object result;
    try {
      result = S3Client.class.getMethod(op, types).invoke(real, a);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    sent.add(call);
    if (lastOne.test(call)) {
      dead = true;
    }
    return result;
  }

  @Override
  public String toString() {
    return "DyingS3Client" + Arrays.toString(sent.toArray());
  }
}
