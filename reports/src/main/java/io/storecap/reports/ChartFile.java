package io.storecap.reports;

/**
 * One chart of the report, written twice: PNG for the page, SVG for print and slides.
 *
 * @param id      file stem, e.g. "connections-free-pooled"
 * @param title   heading shown above the image
 * @param caption one or two sentences on how to read it
 * @param png     path relative to the report folder, e.g. "charts/connections-free-pooled.png"
 * @param svg     path relative to the report folder
 * @param width   pixel width of the PNG
 * @param height  pixel height of the PNG
 */
public record ChartFile(String id, String title, String caption, String png, String svg, int width, int height) {
}
