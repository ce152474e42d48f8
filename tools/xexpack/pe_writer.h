// The PE image a XEX carries: xexpack puts the PE headers (DOS "MZ" header, PE signature, COFF
// and PE32 optional headers, section table) in a page of their own just below the title's first
// segment, so every section lies at its RVA and the code keeps the addresses it was linked at.
#pragma once
#include "elf_input.h"

namespace hexad::xexpack {

// Prepends the header page to `img` (its base moves down by 4 KiB; the page is read-only data)
// and writes one section per loadable segment: .text (code), .rdata (read-only), .data.
void add_pe_headers(TitleImage& img);

}  // namespace hexad::xexpack
