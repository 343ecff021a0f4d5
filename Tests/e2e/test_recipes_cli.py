"""`tapedeck recipes`: the built-in recipes work from an installed binary with no repository
beside it, and a broken recipe file is named by key, file and line."""
import json
import shutil
import subprocess

from peers import tapedeck_binary


def run(binary, *args, cwd):
    return subprocess.run([str(binary), "recipes", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_built_in_recipes_need_no_repository(tmp_path):
    # A copy of the binary, run from an empty directory: no Recipes/ to read.
    installed = tmp_path / "bin" / "tapedeck"
    installed.parent.mkdir()
    shutil.copy2(tapedeck_binary(), installed)
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = run(installed, "--json", cwd=workdir)
    assert result.returncode == 0, result.stderr
    recipes = {recipe["name"]: recipe for recipe in json.loads(result.stdout)}
    assert set(recipes) == {"webm", "mp4", "audio-ogg", "per-track-webm", "audio-mix", "composite"}
    assert (recipes["mp4"]["container"], recipes["mp4"]["video"], recipes["mp4"]["audio"]) == ("mp4", "h264", "aac")
    assert recipes["per-track-webm"]["layout"] == "per-track"
    assert recipes["audio-ogg"]["video"] == "none"
    assert (recipes["audio-mix"]["layout"], recipes["audio-mix"]["audio"]) == ("room", "opus")
    assert (recipes["composite"]["layout"], recipes["composite"]["video"], recipes["composite"]["audio"]) == ("room", "h264", "aac")
    assert recipes["composite"]["composite"] == {"width": 1280, "height": 720, "fps": 30, "layout": "grid"}


def test_a_broken_recipe_file_is_named_by_key_and_line(tmp_path):
    (tmp_path / "mine.yaml").write_text('description: "mine"\ncontaner: webm\n')
    (tmp_path / "good.yml").write_text(
        'description: "audio"\ncontainer: ogg\nvideo: none\naudio: passthrough\ncpu_cost: 0.02\n')
    result = run(tapedeck_binary(), "mine.yaml", "./good.yml", "wbm", cwd=tmp_path)
    assert result.returncode == 1
    assert "unknown key 'contaner' in recipe 'mine' (mine.yaml:2); known keys: description, container" in result.stderr
    assert "no recipe named 'wbm'; available: audio-mix, audio-ogg, composite, mp4, per-track-webm, webm" in result.stderr
    assert result.stdout.startswith("good: audio\n  ogg, per-participant; video none; audio passthrough")
