/** Line icons (24×24, stroke = currentColor) used by chat and compare. Decorative: aria-hidden. */
import type { SVGProps } from 'react';

type IconProps = SVGProps<SVGSVGElement>;

function Svg({ paths, className = 'size-4', ...props }: IconProps & { paths: string[] }) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      className={className}
      {...props}
    >
      {paths.map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}

export const CopyIcon = (props: IconProps) => <Svg paths={['M9 9h10v10H9z', 'M5 15H4V4h11v1']} {...props} />;
export const CheckIcon = (props: IconProps) => <Svg paths={['m5 12 5 5L20 7']} {...props} />;
export const PlusIcon = (props: IconProps) => <Svg paths={['M12 5v14M5 12h14']} {...props} />;
export const SearchIcon = (props: IconProps) => (
  <Svg paths={['m21 21-4.3-4.3', 'M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14Z']} {...props} />
);
export const PinIcon = (props: IconProps) => (
  <Svg paths={['M12 17v5', 'M9 3h6l-1 6 3 3v2H7v-2l3-3-1-6Z']} {...props} />
);
export const ArchiveIcon = (props: IconProps) => (
  <Svg paths={['M3 4h18v4H3z', 'M5 8v12h14V8', 'M10 12h4']} {...props} />
);
export const TrashIcon = (props: IconProps) => (
  <Svg paths={['M4 7h16', 'M10 11v6M14 11v6', 'M6 7l1 13h10l1-13', 'M9 7V4h6v3']} {...props} />
);
export const PencilIcon = (props: IconProps) => (
  <Svg paths={['M4 20h4L19 9l-4-4L4 16v4Z', 'm13.5 6.5 4 4']} {...props} />
);
export const ForkIcon = (props: IconProps) => (
  <Svg
    paths={[
      'M6 3v12',
      'M18 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6Z',
      'M6 21a3 3 0 1 0 0-6 3 3 0 0 0 0 6Z',
      'M18 9a9 9 0 0 1-9 9',
    ]}
    {...props}
  />
);
export const RefreshIcon = (props: IconProps) => (
  <Svg paths={['M20 11a8 8 0 0 0-14.9-3M4 4v4h4', 'M4 13a8 8 0 0 0 14.9 3M20 20v-4h-4']} {...props} />
);
export const StopIcon = (props: IconProps) => <Svg paths={['M7 7h10v10H7z']} {...props} />;
export const SendIcon = (props: IconProps) => <Svg paths={['M12 19V5', 'm5 12 7-7 7 7']} {...props} />;
export const ChevronLeftIcon = (props: IconProps) => <Svg paths={['m15 18-6-6 6-6']} {...props} />;
export const ChevronRightIcon = (props: IconProps) => <Svg paths={['m9 18 6-6-6-6']} {...props} />;
export const MoreIcon = (props: IconProps) => <Svg paths={['M5 12h.01M12 12h.01M19 12h.01']} {...props} />;
export const AlertIcon = (props: IconProps) => (
  <Svg
    paths={[
      'M12 9v4M12 17h.01',
      'M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z',
    ]}
    {...props}
  />
);
export const SidebarIcon = (props: IconProps) => <Svg paths={['M3 5h18v14H3z', 'M9 5v14']} {...props} />;
export const SparkIcon = (props: IconProps) => (
  <Svg
    paths={['M12 3v4M12 17v4M3 12h4M17 12h4', 'm6 6 2.5 2.5M15.5 15.5 18 18M6 18l2.5-2.5M15.5 8.5 18 6']}
    {...props}
  />
);
export const SettingsIcon = (props: IconProps) => (
  <Svg
    paths={[
      'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6Z',
      'M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1Z',
    ]}
    {...props}
  />
);
export const CloseIcon = (props: IconProps) => <Svg paths={['M18 6 6 18M6 6l12 12']} {...props} />;
export const PaperclipIcon = (props: IconProps) => (
  <Svg
    paths={['m21 12-8.5 8.5a5 5 0 0 1-7-7L14 5a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 8']}
    {...props}
  />
);
export const FileIcon = (props: IconProps) => (
  <Svg paths={['M14 3H6v18h12V7l-4-4Z', 'M14 3v4h4', 'M9 13h6M9 17h4']} {...props} />
);
export const BookIcon = (props: IconProps) => (
  <Svg
    paths={[
      'M4 19.5A2.5 2.5 0 0 1 6.5 17H20V3H6.5A2.5 2.5 0 0 0 4 5.5v14Z',
      'M4 19.5A2.5 2.5 0 0 0 6.5 22H20v-5',
    ]}
    {...props}
  />
);
export const ChatBubbleIcon = (props: IconProps) => (
  <Svg paths={['M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12Z']} {...props} />
);
