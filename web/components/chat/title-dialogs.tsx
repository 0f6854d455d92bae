/**
 * The rename and delete dialogs of a saved item (a conversation, a comparison): one title field, or one
 * confirmation. The caller says what is renamed or deleted and does the call.
 */
import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogContent,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  Input,
} from '~/components/ui';

interface Titled {
  title: string;
}

export function RenameDialog<T extends Titled>({
  item,
  heading,
  onSave,
  onClose,
}: {
  item: T | null;
  /** "Rename conversation" */
  heading: string;
  onSave(item: T, title: string): void;
  onClose(): void;
}) {
  const [title, setTitle] = useState('');
  return (
    <Dialog open={item !== null} onOpenChange={(open) => !open && onClose()}>
      {item ? (
        <DialogContent onOpenAutoFocus={() => setTitle(item.title)} aria-describedby={undefined}>
          <DialogHeader>
            <DialogTitle>{heading}</DialogTitle>
          </DialogHeader>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (!title.trim()) return;
              onSave(item, title.trim());
              onClose();
            }}
          >
            <label htmlFor="rename-title" className="text-sm font-medium">
              Title
            </label>
            <Input
              id="rename-title"
              value={title}
              maxLength={200}
              onChange={(e) => setTitle(e.target.value)}
              autoFocus
            />
            <DialogFooter className="mt-4">
              <Button variant="secondary" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" disabled={!title.trim()}>
                Save
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}

export function DeleteDialog<T extends Titled>({
  item,
  untitled,
  consequence,
  onDelete,
  onClose,
}: {
  item: T | null;
  /** The name of an item without a title ("New conversation"). */
  untitled: string;
  /** What deleting removes, in a sentence. */
  consequence: string;
  onDelete(item: T): void;
  onClose(): void;
}) {
  return (
    <Dialog open={item !== null} onOpenChange={(open) => !open && onClose()}>
      {item ? (
        <DialogContent aria-describedby={undefined}>
          <DialogHeader>
            <DialogTitle>Delete “{item.title || untitled}”?</DialogTitle>
          </DialogHeader>
          <p className="text-sm text-fg-muted">{consequence} This cannot be undone.</p>
          <DialogFooter>
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button
              variant="danger"
              onClick={() => {
                onDelete(item);
                onClose();
              }}
            >
              Delete
            </Button>
          </DialogFooter>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}
