#include "formats/pdf/letter_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>

#include "core/date.h"

namespace o2c::formats::pdf {
namespace {

// A4 in points; margins as DIN 5008 letters keep them (address window 45 mm down).
constexpr double kWidth = 595.28;
constexpr double kHeight = 841.89;
constexpr double kLeft = 70.87;   // 25 mm
constexpr double kRight = 56.69;  // 20 mm
constexpr double kTop = 127.56;   // 45 mm
constexpr double kBottom = 70.0;
constexpr const char* kFont = "DejaVu Sans, Liberation Sans, sans-serif";

struct CairoSurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct GObjectDeleter {
  void operator()(void* o) const { g_object_unref(o); }
};
struct FontDeleter {
  void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  try {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  } catch (...) {
    return CAIRO_STATUS_NO_MEMORY;
  }
}

class Page {
 public:
  Page(cairo_t* cr) : cr_(cr), layout_(pango_cairo_create_layout(cr)) {}

  // Draws `text` at the cursor, wrapped to the text width, and moves down.
  // Starts a new page first when it would not fit.
  void text(const std::string& text, double size, bool bold = false, double gap_after = 4) {
    std::unique_ptr<PangoFontDescription, FontDeleter> font(pango_font_description_from_string(kFont));
    pango_font_description_set_absolute_size(font.get(), size * PANGO_SCALE);
    pango_font_description_set_weight(font.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout_.get(), font.get());
    pango_layout_set_width(layout_.get(), static_cast<int>((kWidth - kLeft - kRight) * PANGO_SCALE));
    pango_layout_set_wrap(layout_.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout_.get(), text.data(), static_cast<int>(text.size()));
    int w = 0, h = 0;
    pango_layout_get_size(layout_.get(), &w, &h);
    const double height = static_cast<double>(h) / PANGO_SCALE;
    if (y_ + height > kHeight - kBottom && y_ > kTop) {
      cairo_show_page(cr_);
      y_ = 56.0;
    }
    cairo_move_to(cr_, kLeft, y_);
    pango_cairo_show_layout(cr_, layout_.get());
    y_ += height + gap_after;
  }
  // One table row: each cell wrapped to its column. Starts a new page (with
  // the header again) when the row would not fit.
  void row(const LetterTable& t, const std::vector<std::string>& cells, bool bold) {
    double total_weight = 0;
    for (double w : t.weights) total_weight += w;
    if (total_weight <= 0) return;
    const double width = kWidth - kLeft - kRight;
    std::unique_ptr<PangoFontDescription, FontDeleter> font(pango_font_description_from_string(kFont));
    pango_font_description_set_absolute_size(font.get(), 8.5 * PANGO_SCALE);
    pango_font_description_set_weight(font.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    auto layout_cell = [&](size_t i) {
      const double col = width * t.weights[i] / total_weight - 4;
      pango_layout_set_font_description(layout_.get(), font.get());
      pango_layout_set_width(layout_.get(), static_cast<int>(col * PANGO_SCALE));
      pango_layout_set_wrap(layout_.get(), PANGO_WRAP_WORD_CHAR);
      pango_layout_set_alignment(layout_.get(), i < t.right.size() && t.right[i] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
      const std::string& text = i < cells.size() ? cells[i] : empty_;
      pango_layout_set_text(layout_.get(), text.data(), static_cast<int>(text.size()));
      int w = 0, h = 0;
      pango_layout_get_size(layout_.get(), &w, &h);
      return static_cast<double>(h) / PANGO_SCALE;
    };
    double height = 0;
    for (size_t i = 0; i < t.weights.size(); ++i) height = std::max(height, layout_cell(i));
    if (y_ + height > kHeight - kBottom && y_ > kTop) {
      cairo_show_page(cr_);
      y_ = 56.0;
      if (!bold) row(t, t.header, true);
    }
    double x = kLeft;
    for (size_t i = 0; i < t.weights.size(); ++i) {
      layout_cell(i);
      cairo_move_to(cr_, x, y_);
      pango_cairo_show_layout(cr_, layout_.get());
      x += width * t.weights[i] / total_weight;
    }
    pango_layout_set_alignment(layout_.get(), PANGO_ALIGN_LEFT);
    y_ += height + 3;
    if (bold) {
      cairo_set_line_width(cr_, 0.5);
      cairo_move_to(cr_, kLeft, y_ - 1.5);
      cairo_line_to(cr_, kWidth - kRight, y_ - 1.5);
      cairo_stroke(cr_);
      y_ += 1;
    }
  }
  void skip(double points) { y_ += points; }
  void at(double y) { y_ = y; }
  bool fonts_ok() {
    std::unique_ptr<PangoFontDescription, FontDeleter> font(pango_font_description_from_string(kFont));
    pango_layout_set_font_description(layout_.get(), font.get());
    pango_layout_set_text(layout_.get(), "Reminder 0123", -1);
    return pango_layout_get_unknown_glyphs_count(layout_.get()) == 0;
  }

 private:
  cairo_t* cr_;
  std::unique_ptr<PangoLayout, GObjectDeleter> layout_;
  double y_ = kTop;
  const std::string empty_;
};

}  // namespace

Result<std::string> render_letter_pdf(const Letter& letter) {
  std::string out;
  std::unique_ptr<cairo_surface_t, CairoSurfaceDeleter> surface(
      cairo_pdf_surface_create_for_stream(append, &out, kWidth, kHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Error::internal(std::string("letter: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  if (!Date::parse(letter.date).ok()) return Error::internal("letter: date '" + letter.date + "' is not YYYY-MM-DD");
  const std::string created = letter.date + "T00:00:00Z";
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, created.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "o2c");
  {
    std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(surface.get()));
    Page page(cr.get());
    if (!page.fonts_ok()) return Error::internal("no_fonts: fontconfig finds no font to print the letter with");
    cairo_set_source_rgb(cr.get(), 0, 0, 0);
    page.at(56.0);
    page.text(letter.closing, 14, true, 2);
    page.at(kTop - 14);
    page.text(letter.sender, 7, false, 6);
    std::string address;
    for (const auto& l : letter.recipient) address += (address.empty() ? "" : "\n") + l;
    page.text(address, 10, false, 40);
    page.text(letter.place_and_date, 10, false, 18);
    page.text(letter.subject, 12, true, 14);
    size_t start = 0;
    while (start <= letter.body.size()) {
      size_t end = letter.body.find("\n\n", start);
      if (end == std::string::npos) end = letter.body.size();
      const std::string para = letter.body.substr(start, end - start);
      if (!para.empty()) page.text(para, 10, false, 10);
      start = end + 2;
    }
    if (!letter.table.weights.empty()) {
      page.skip(4);
      page.row(letter.table, letter.table.header, true);
      for (const auto& r : letter.table.rows) page.row(letter.table, r, false);
      page.skip(8);
    }
    if (!letter.after_table.empty()) page.text(letter.after_table, 10, true, 10);
    page.skip(12);
    page.text(letter.closing, 10);
    cairo_show_page(cr.get());
  }
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Error::internal(std::string("letter: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  return out;
}

}  // namespace o2c::formats::pdf
