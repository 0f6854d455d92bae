/** Where in a document a passage is, as a reader says it — shared by chat prompts and the web UI. */
export interface PassageLocation {
  page?: number;
  sheet?: string;
  slide?: number;
  heading?: string;
}

/** "page 3, Safety › Fire drills", "sheet Budget", "slide 2"; empty when the item has no parts. */
export function describeLocation(l: PassageLocation): string {
  return [
    l.page !== undefined ? `page ${l.page}` : '',
    l.sheet ? `sheet ${l.sheet}` : '',
    l.slide !== undefined ? `slide ${l.slide}` : '',
    l.heading ?? '',
  ]
    .filter(Boolean)
    .join(', ');
}
