"""Modal dialogs that screens open and wait on for an answer."""

from daman_tui.screens.dialogs.file_picker import DocumentTree, FilePickerScreen, typed_path

__all__ = ["DocumentTree", "FilePickerScreen", "typed_path"]
