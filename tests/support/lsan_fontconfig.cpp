// Linked into every test binary that renders PDFs in its own process (the
// unit tests, and the store suite through the billing benchmark's test).
#if defined(__SANITIZE_ADDRESS__)
// LeakSanitizer: the font-matching patterns fontconfig builds for pango's
// font map are kept by pango for the life of the process through pointers
// LSan does not follow. They are filled once and do not grow with the number
// of documents rendered (ten renders leak no more than two), so they are a
// cache, not a leak of ours. Only allocations made inside libfontconfig are
// exempt; everything the renderers themselves allocate is still checked.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
#endif
