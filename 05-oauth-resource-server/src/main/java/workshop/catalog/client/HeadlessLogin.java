package workshop.catalog.client;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import workshop.catalog.client.AuthorizationCodeFlow.FlowException;

/**
 * A user agent without a screen: it does what a browser and the user would do on the authorization server's login
 * page (Spring Security's form: {@code username}, {@code password} and the page's {@code _csrf} field), following
 * the redirects by hand and never into the client. One cookie jar per instance, like one browser: once logged in,
 * a second authorization request (a step-up) is answered without the form, as a browser's session would be.
 */
public final class HeadlessLogin implements UserAgent {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

    private final String user;
    private final String password;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();

    public HeadlessLogin(String user, String password) {
        this.user = user;
        this.password = password;
    }

    @Override
    public String who() {
        return user;
    }

    @Override
    public URI authorize(URI authorizationRequest) {
        URI location = redirect(authorizationRequest, get(authorizationRequest));
        if (location.getPath().endsWith("/login")) {
            Matcher csrf = CSRF.matcher(get(location).body());
            if (!csrf.find()) {
                throw new FlowException("the login page has no form to submit");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("username", user);
            fields.put("password", password);
            fields.put("_csrf", csrf.group(1));
            location = redirect(location, send(HttpRequest.newBuilder(location)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(AuthorizationCodeFlow.form(fields)))));
            if (location.toString().contains("/login?error")) {
                throw new FlowException("the authorization server refused the login of " + user);
            }
            location = redirect(location, get(location)); // back to the authorization request, now logged in
        }
        return location;
    }

    @Override
    public String toString() {
        return "HeadlessLogin[" + user + ", password=(hidden)]";
    }

    private HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new FlowException("cannot reach the authorization server");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlowException("interrupted");
        }
    }

    /** Where a response redirects to, resolved against the address it came from. */
    private static URI redirect(URI from, HttpResponse<String> response) {
        return from.resolve(response.headers().firstValue("Location").orElseThrow(() -> new FlowException(
                from.getPath() + " answered HTTP " + response.statusCode() + ", no redirect")));
    }
}
