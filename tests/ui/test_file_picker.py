"""The document file picker: a typed or pasted path, the filtered tree, Escape."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot

from daman_tui.app import DamanApp, make_app
from daman_tui.screens.dialogs import DocumentTree, FilePickerScreen, typed_path
from daman_tui.screens.home import HomeScreen
from daman_tui.text.catalog import t
from daman_tui.text.display import visual
from daman_tui.text.layout import layout_line
from daman_tui.widgets.bidi_input import BidiInput
from tests.ui.test_shell import SIZE, label_text, settle

ACCEPTED = ["a.pdf", "b.JPG", "c.jpeg", "d.png", "هوية.pdf"]
REFUSED = ["setup.exe", "notes.txt", "scan.gif", "archive", ".hidden.pdf"]


def _folder(root: Path) -> Path:
    root.mkdir(exist_ok=True)
    for name in ACCEPTED + REFUSED:
        (root / name).write_bytes(b"%PDF-1.7\n")
    (root / "sub").mkdir()
    (root / "sub" / "inner.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / ".cache").mkdir()
    return root


async def _open(pilot: Pilot[None], start: Path, results: list[Path | None]) -> FilePickerScreen:
    await settle(pilot)
    assert isinstance(pilot.app.screen, HomeScreen)
    screen = FilePickerScreen(start)
    await pilot.app.push_screen(screen, callback=results.append)
    await _tree_loaded(pilot)
    return screen


async def _tree_loaded(pilot: Pilot[None]) -> DocumentTree:
    # The tree loads in a worker that never ends (it waits for folders to open): wait
    # for its rows rather than for every worker.
    tree = pilot.app.screen.query_one(DocumentTree)
    for _ in range(200):
        await pilot.pause(0.01)
        if tree.root.children and all(
            n.data is not None and n.data.path.parent == Path(tree.path) for n in tree.root.children
        ):
            break
    return tree


def _shown(tree: DocumentTree) -> set[str]:
    return {node.data.path.name for node in tree.root.children if node.data is not None}


async def _type(pilot: Pilot[None], text: str) -> None:
    field = pilot.app.screen.query_one("#picker-path", BidiInput)
    assert pilot.app.screen.focused is field
    await pilot.press(*text)
    await pilot.pause()
    assert field.value == text


async def _paste(pilot: Pilot[None], text: str) -> None:
    field = pilot.app.screen.query_one("#picker-path", BidiInput)
    assert pilot.app.screen.focused is field
    field.post_message(events.Paste(text))
    await pilot.pause()
    assert field.value == text


def _app(store, staff, lang: str = "ar") -> DamanApp:
    return make_app(store, lang=lang, actor=staff.clerk)


async def test_a_pasted_file_path_and_enter_returns_it(store, staff, tmp_path):
    folder = _folder(tmp_path / "scans")
    results: list[Path | None] = []
    app = _app(store, staff)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, tmp_path, results)
        assert screen.has_class("rtl")
        await _paste(pilot, str(folder / "d.png"))
        await pilot.press("enter")
        await pilot.pause()
        assert results == [folder / "d.png"]
        assert isinstance(app.screen, HomeScreen)


async def test_a_relative_path_is_taken_from_the_folder_shown(store, staff, tmp_path):
    _folder(tmp_path / "scans")
    results: list[Path | None] = []
    app = _app(store, staff)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, tmp_path / "scans", results)
        await _type(pilot, "sub/inner.png")
        await pilot.press("enter")
        await pilot.pause()
        assert results == [tmp_path / "scans" / "sub" / "inner.png"]


async def test_a_path_that_is_not_an_accepted_file_keeps_the_dialog_open(store, staff, tmp_path):
    folder = _folder(tmp_path / "scans")
    results: list[Path | None] = []
    app = _app(store, staff)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, folder, results)
        field = screen.query_one("#picker-path", BidiInput)
        for typed, key in (
            (str(folder / "missing.pdf"), "picker.not_found"),
            (str(folder / "a.pdf" / "x.pdf"), "picker.not_found"),
            (str(folder / "setup.exe"), "picker.not_accepted"),
            ("   ", "picker.empty"),
        ):
            field.value = typed
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is screen
            assert label_text(app, "#picker-message") == visual(t(key, "ar"))
        assert results == []
        await pilot.press("f2")  # the message follows the language
        await pilot.pause()
        assert screen.has_class("ltr")
        assert label_text(app, "#picker-message") == t("picker.empty", "en")
        assert label_text(app, "#picker-title") == t("picker.title", "en")


async def test_a_typed_folder_moves_the_tree_there(store, staff, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    folder = _folder(home / "scans")
    results: list[Path | None] = []
    app = _app(store, staff, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, home, results)
        assert screen.has_class("ltr")
        assert _shown(screen.query_one(DocumentTree)) == {"scans"}
        await _paste(pilot, str(folder / "sub"))
        await pilot.press("enter")
        tree = await _tree_loaded(pilot)
        assert app.screen is screen
        assert Path(tree.path) == folder / "sub"
        assert _shown(tree) == {"inner.png"}
        assert label_text(app, "#picker-message") == ""
        assert screen.focused is tree
        assert results == []


async def test_escape_returns_none(store, staff, tmp_path):
    results: list[Path | None] = []
    app = _app(store, staff)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, _folder(tmp_path / "scans"), results)
        await pilot.press("escape")
        await pilot.pause()
        assert results == [None]
        assert isinstance(app.screen, HomeScreen)


async def test_the_tree_lists_only_folders_and_accepted_files(store, staff, tmp_path):
    folder = _folder(tmp_path / "scans")
    results: list[Path | None] = []
    app = _app(store, staff)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, folder, results)
        tree = screen.query_one(DocumentTree)
        assert _shown(tree) == {"sub", *ACCEPTED}
        arabic = next(n for n in tree.root.children if n.data and n.data.path.name == "هوية.pdf")
        # Joined and in reading order, left to right like the rest of the path.
        assert str(arabic.label) == layout_line("هوية.pdf", "L").visual


async def test_enter_on_a_file_in_the_tree_returns_it(store, staff, tmp_path):
    folder = _folder(tmp_path / "scans")
    results: list[Path | None] = []
    app = _app(store, staff)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, folder, results)
        await pilot.press("down")  # from the path field into the tree
        tree = screen.query_one(DocumentTree)
        assert screen.focused is tree
        node = next(n for n in tree.root.children if n.data and n.data.path.name == "c.jpeg")
        tree.move_cursor(node)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.01)
            if results:
                break
        assert results == [folder / "c.jpeg"]


def test_typed_paths_accept_quotes_file_addresses_and_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    base = tmp_path / "base"
    assert typed_path("  ", base) is None
    assert typed_path("''", base) is None
    assert typed_path("scan.pdf", base) == base / "scan.pdf"
    assert typed_path(f"'{tmp_path}/a b.pdf'", base) == tmp_path / "a b.pdf"
    assert typed_path(f'"{tmp_path}/x.png"', base) == tmp_path / "x.png"
    assert typed_path(f"file://{tmp_path}/%D9%87.pdf", base) == tmp_path / "ه.pdf"
    assert typed_path("~/scan.jpg", base) == tmp_path / "scan.jpg"
