// The UI kit. Import from '~/components/ui'; see README.md in this folder.
export { Alert, type AlertProps, type AlertVariant } from './alert';
export { Badge, type BadgeVariant } from './badge';
export { Button, type ButtonProps, type ButtonSize, type ButtonVariant, buttonClasses } from './button';
export { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from './card';
export {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from './dialog';
export {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuGroup,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from './dropdown-menu';
export { FormField, type FormFieldProps, useFormFieldControl } from './form-field';
export { controlClasses, Input, Select, Textarea } from './input';
export { Label } from './label';
export { Pagination, pageWindow } from './pagination';
export { SkipLink } from './skip-link';
export { Spinner } from './spinner';
export {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from './table';
export { Tabs, TabsContent, TabsList, TabsTrigger } from './tabs';
export { Toaster, type ToastInput, type ToastVariant, useToast } from './toast';
export { VisuallyHidden } from './visually-hidden';
