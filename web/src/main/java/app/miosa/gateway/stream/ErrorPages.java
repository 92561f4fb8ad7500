package app.miosa.gateway.stream;

import app.miosa.gateway.failure.Failure;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/** The small HTML page shown in the iframe instead of the viewer when a request is rejected. */
final class ErrorPages {
  private ErrorPages() {}

  static void send(HttpServletResponse response, Failure failure, String detail)
      throws IOException {
    response.setStatus(failure.httpStatus());
    response.setContentType("text/html;charset=UTF-8");
    try (PrintWriter out = response.getWriter()) {
      out.println("<!DOCTYPE html>");
      out.println("<html lang=\"en\"><head><meta charset=\"utf-8\">");
      out.println("<title>" + escape(failure.title()) + "</title>");
      out.println("<link rel=\"stylesheet\" href=\"../static/viewer.css\"></head>");
      out.println("<body class=\"error\"><main>");
      out.println("<h1>" + escape(failure.title()) + "</h1>");
      out.println("<p>" + escape(detail) + "</p>");
      out.println("</main></body></html>");
    }
  }

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
