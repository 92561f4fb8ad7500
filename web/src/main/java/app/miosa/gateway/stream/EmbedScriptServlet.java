package app.miosa.gateway.stream;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Serves {@code /embed.js}, the script that customer pages on other origins load with a plain
 * script tag to embed the viewer and renew its ticket. It contains no secret, so browsers and
 * proxies may cache it for a few minutes, and a release reaches every page soon after.
 */
@WebServlet(EmbedScriptServlet.PATH)
public class EmbedScriptServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final String PATH = "/embed.js";
  private static final String SCRIPT = "/WEB-INF/embed.js";
  static final String CACHE_CONTROL = "public, max-age=300";

  private byte[] script;
  private String etag;

  @Override
  public void init() throws ServletException {
    try (InputStream in = getServletContext().getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new ServletException("The embed script " + SCRIPT + " is missing from the archive");
      }
      script = in.readAllBytes();
    } catch (IOException e) {
      throw new ServletException("Reading the embed script " + SCRIPT + " failed", e);
    }
    etag = etag(script);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Cache-Control", CACHE_CONTROL);
    response.setHeader("ETag", etag);
    if (etag.equals(request.getHeader("If-None-Match"))) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      return;
    }

    response.setContentType("application/javascript;charset=UTF-8");
    response.setContentLength(script.length);
    response.getOutputStream().write(script);
  }

  /** Returns a strong entity tag: the first 16 bytes of the content's SHA-256, in hex, quoted. */
  static String etag(byte[] content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform provides SHA-256", e);
    }
  }
}
