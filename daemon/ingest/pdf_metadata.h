// The document-level parts of a PDF that a reader does not see on the
// pages: Info dictionary, XMP packet, embedded files, bookmarks.
#ifndef RA_INGEST_PDF_METADATA_H_
#define RA_INGEST_PDF_METADATA_H_

#include <string>
#include <string_view>
#include <vector>

#include "model/pdf.h"

namespace poppler {
class document;
}

namespace ra {

// Fills analysis->metadata (text values only: producer, creator and dates
// are left out), embedded_files and outline.
void ReadDocumentMetadata(const poppler::document& doc, PdfAnalysis* analysis);

// Text values of the descriptive XMP properties (dc:title, dc:description,
// dc:subject, dc:creator, pdf:Keywords, ...) in `xmp`, tags stripped.
std::vector<PdfMetadataEntry> XmpEntries(std::string_view xmp);

}  // namespace ra

#endif  // RA_INGEST_PDF_METADATA_H_
