/**
 * Screen-reader announcements of a streaming answer at a polite rate: new complete sentences at most every
 * few seconds while streaming (not every token, which would flood the speech queue), the rest at the end.
 */
import { useEffect, useRef, useState } from 'react';

const INTERVAL_MS = 4000;

export function LiveAnnouncer({ text, streaming }: { text: string; streaming: boolean }) {
  const [announcement, setAnnouncement] = useState('');
  const spoken = useRef(0);
  const lastAt = useRef(0);
  const latest = useRef(text);
  latest.current = text;

  // A new answer starts from the beginning.
  useEffect(() => {
    if (streaming && text.length < spoken.current) spoken.current = 0;
  }, [streaming, text]);

  useEffect(() => {
    if (!streaming) {
      const rest = latest.current.slice(spoken.current).trim();
      if (rest) setAnnouncement(rest);
      spoken.current = latest.current.length;
      return;
    }
    spoken.current = 0;
    lastAt.current = Date.now();
    const timer = setInterval(() => {
      const current = latest.current;
      // Up to the last sentence end, so speech never cuts a sentence in half.
      const end = Math.max(current.lastIndexOf('. '), current.lastIndexOf('\n'), current.lastIndexOf('? '));
      if (end + 1 > spoken.current && Date.now() - lastAt.current >= INTERVAL_MS) {
        setAnnouncement(current.slice(spoken.current, end + 1).trim());
        spoken.current = end + 1;
        lastAt.current = Date.now();
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [streaming]);

  return (
    <div aria-live="polite" aria-atomic="true" className="sr-only" data-testid="chat-live-region">
      {announcement}
    </div>
  );
}
