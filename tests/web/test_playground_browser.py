"""The playground end to end in headless Chromium (Debian's chromium + chromedriver).

A real server runs in a thread on a free loopback port; the page is driven
through selenium like a student would: pick XOR and train it, change a
layer's activation, compare two activations, upload a CSV, click points in,
export the model and rebuild it in Python, and reload a setup from its link.
Without Chromium they skip with the reason shown, unless ACTLAB_REQUIRE_BROWSER=1
(set by .ci/run, which installs it) makes a missing browser a failure.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import torch

from exported_playground_model import assert_export_rebuilds_the_network
from headless_chromium import chromium

SCREENSHOTS = os.environ.get("ACTLAB_SCREENSHOTS")  # a directory to keep screenshots in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with chromium((1440, 1000)) as browser:
        yield browser


def wait_for(driver: Any, script: str, timeout: float = 60.0) -> Any:
    """Poll a JavaScript expression until it is truthy; returns its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(f"return {script};")
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for: {script}")


def page_state(driver: Any, path: str) -> Any:
    return driver.execute_script(f"return window.actlabPlayground.{path};")


@pytest.fixture
def playground(driver: Any, served: Any) -> Callable[[str], Any]:
    """Open the page (optionally with a hash) and wait for the first frame."""

    def open_page(hash_part: str = "") -> Any:
        driver.get("about:blank")  # closes the previous page's socket
        driver.get_log("browser")
        driver.get(f"{served.url}/{hash_part}")
        wait_for(driver, "window.actlabPlayground && window.actlabPlayground.frame")
        return driver

    return open_page


def shot(driver: Any, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(SCREENSHOTS) / f"{name}.png"))


def click(driver: Any, css: str) -> None:
    driver.find_element("css selector", css).click()


def choose(driver: Any, css: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("css selector", css)).select_by_value(value)


def console_errors(driver: Any) -> list[Any]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def painted_colours(driver: Any, css: str) -> int:
    """How many distinct colours a canvas shows (a blank canvas shows one)."""
    return driver.execute_script(
        "const c = document.querySelector(arguments[0]);"
        "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        "const seen = new Set(); for (let i = 0; i < d.length; i += 4 * 7)"
        " seen.add(d[i] << 16 | d[i + 1] << 8 | d[i + 2]); return seen.size;", css)


def test_load_pick_xor_and_train_until_the_test_loss_is_low(playground) -> None:
    driver = playground()
    assert driver.find_element("css selector", "header.bar").is_displayed()
    assert len(driver.find_elements("css selector", ".dataset")) >= 9
    click(driver, '.dataset[data-dataset="xor"]')
    wait_for(driver, "window.actlabPlayground.state.setup.dataset === 'xor'")
    choose(driver, "#optimiser", "adam")
    wait_for(driver, "window.actlabPlayground.state.setup.optimiser === 'adam'"
             " || document.querySelector('#optimiser').value === 'adam'")
    time.sleep(0.3)
    click(driver, "#play")
    wait_for(driver, "window.actlabPlayground.playing")
    loss = wait_for(driver, "(() => { const n = window.actlabPlayground.frame.nets[0];"
                    " return n.test_loss !== null && n.test_loss < 0.15 ? n.test_loss : 0; })()",
                    timeout=120)
    click(driver, "#play")
    wait_for(driver, "!window.actlabPlayground.playing")
    assert loss < 0.15
    assert int(driver.find_element("id", "epoch").text) > 0
    assert painted_colours(driver, '.net[data-net="0"] canvas') > 20  # the heat map
    assert painted_colours(driver, ".hidden-layer .neuron canvas") > 3  # a thumbnail
    assert painted_colours(driver, "#loss_chart") > 3
    links = driver.find_elements("css selector", "#links path")
    assert len(links) == 2 * 4 + 4 * 2 + 2 * 1  # every weight, the output layer's too
    assert all(float(p.get_attribute("stroke-width")) > 0 for p in links)
    assert "dataset=xor" in driver.current_url and "opt=adam" in driver.current_url
    shot(driver, "xor_trained")
    assert not console_errors(driver)


def test_change_a_layers_activation_and_its_parameter(playground) -> None:
    driver = playground()
    choose(driver, '.hidden-layer[data-layer="0"] select', "elu")
    wait_for(driver, "window.actlabPlayground.state.activations[0].name === 'elu'")
    formula = driver.find_element("css selector", '.hidden-layer[data-layer="0"] .formula').text
    assert "α" in formula or "alpha" in formula
    assert painted_colours(driver, '.hidden-layer[data-layer="0"] .act-plot') > 3
    alpha = driver.find_element("css selector", '.hidden-layer[data-layer="0"] input')
    alpha.clear()
    alpha.send_keys("0.5\n")
    wait_for(driver, "window.actlabPlayground.state.activations[0].params[0].value === 0.5")
    assert "2:tanh" in driver.current_url and "elu~alpha~0.5" in driver.current_url
    shot(driver, "elu_layer")
    assert not console_errors(driver)


def test_compare_mode_trains_two_networks_side_by_side(playground) -> None:
    driver = playground()
    click(driver, "#compare_on")
    wait_for(driver, "window.actlabPlayground.state.setup.compare !== null")
    choose(driver, "#compare_activation", "relu")
    wait_for(driver, "window.actlabPlayground.state.setup.compare.name === 'relu'")
    for _ in range(3):
        click(driver, "#step")
        time.sleep(0.2)
    wait_for(driver, "window.actlabPlayground.frame.epoch >= 3"
             " && window.actlabPlayground.frame.nets.length === 2")
    assert driver.find_element("css selector", '.net[data-net="1"]').is_displayed()
    assert painted_colours(driver, '.net[data-net="1"] canvas') > 20
    losses = page_state(driver, "frame.nets.map(n => n.train_loss)")
    assert losses[0] != losses[1]  # same start, different activation: different runs
    click(driver, 'input[name="shown_net"][value="1"]')  # draw network B's neurons and links
    assert "network B (relu" in driver.find_element("id", "shown_net_note").text
    width = driver.find_element("css selector", "#links path").get_attribute("stroke-width")
    b_weight = page_state(driver, "frame.nets[1].weights[0][0][0]")
    assert float(width) == pytest.approx(min(7, 0.6 + abs(b_weight) * 1.6), abs=0.01)
    shot(driver, "compare")
    assert not console_errors(driver)


def test_upload_a_csv_and_click_points_in(playground, tmp_path: Path) -> None:
    driver = playground()
    rows = ["x1,x2,label"] + [f"{x / 10},{(x % 7) - 3},{x % 3}" for x in range(-50, 50)]
    path = tmp_path / "three.csv"
    path.write_text("\n".join(rows))
    driver.find_element("id", "csv").send_keys(str(path))
    wait_for(driver, "window.actlabPlayground.state.setup.dataset === 'custom'")
    assert page_state(driver, "state.classes") == 3
    assert page_state(driver, "state.train.length") + page_state(driver, "state.test.length") == 100
    before = page_state(driver, "state.train.length")
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    heatmap = driver.find_element("css selector", '.net[data-net="0"] canvas')
    ActionChains(driver).move_to_element_with_offset(heatmap, 60, -60).click().perform()
    wait_for(driver, f"window.actlabPlayground.state.train.length === {before + 1}")
    (ActionChains(driver).key_down(Keys.SHIFT).move_to_element_with_offset(heatmap, -60, 60)
     .click().key_up(Keys.SHIFT).perform())
    wait_for(driver, f"window.actlabPlayground.state.train.length === {before + 2}")
    added = page_state(driver, "state.train.slice(-2)")
    assert added[0][0] > 0 and added[0][1] > 0 and added[1][0] < 0 and added[1][1] < 0
    assert added[0][2] != added[1][2]  # shift-click adds another class
    shot(driver, "csv_upload")
    assert not console_errors(driver)


def test_export_and_rebuild_the_model_in_python(playground, served, tmp_path: Path) -> None:
    driver = playground("#dataset=spiral&layers=5:silu,3:elu~alpha~0.5&features=x1,x2,sin_x1")
    wait_for(driver, "window.actlabPlayground.state.setup.dataset === 'spiral'")
    for _ in range(2):
        click(driver, "#step")
        time.sleep(0.2)
    wait_for(driver, "window.actlabPlayground.frame.epoch >= 2")
    click(driver, "#export")
    exported = wait_for(driver, "window.actlabPlayground.lastExport")
    assert driver.find_element("id", "export_dialog").is_displayed()
    href = driver.find_element("id", "download_model").get_attribute("href")
    assert href.startswith("blob:")
    shot(driver, "export")
    session_id = page_state(driver, "hello.session")
    session = served.app.state.sessions.open[session_id].session
    assert_export_rebuilds_the_network(exported, session, tmp_path)
    assert exported["setup"]["features"] == ["x1", "x2", "sin_x1"]
    assert not console_errors(driver)


def test_a_link_reproduces_the_setup(playground) -> None:
    link = ("#dataset=gauss&noise=0.2&ratio=0.7&points=300&dseed=4&features=x1,x2,x1_sq"
            "&layers=3:relu,2:sigmoid&lr=0.1&batch=5&opt=momentum&reg=l2&rate=0.001&wseed=9")
    driver = playground(link)
    setup = wait_for(driver, "window.actlabPlayground.state.setup.weight_seed === 9"
                     " && window.actlabPlayground.state.setup")
    assert setup["dataset"] == "gauss" and setup["noise"] == 0.2 and setup["points"] == 300
    assert [layer["units"] for layer in setup["layers"]] == [3, 2]
    assert setup["layers"][1]["activation"]["name"] == "sigmoid"
    assert setup["optimiser"] == "momentum" and setup["regularisation"] == "l2"
    first = page_state(driver, "state.train")
    driver2 = playground(link)
    wait_for(driver2, "window.actlabPlayground.state.setup.weight_seed === 9")
    assert page_state(driver2, "state.train") == first  # same seeds, same data
    shot(driver, "from_link")
    assert not console_errors(driver)


def test_presets_load_and_a_diverged_run_is_shown(playground) -> None:
    driver = playground()
    choose(driver, "#preset", "xor_two_sigmoid")
    wait_for(driver, "window.actlabPlayground.state.setup.layers.length === 1"
             " && window.actlabPlayground.state.setup.layers[0].units === 2")
    assert driver.find_element("id", "preset_note").is_displayed()
    driver.get("about:blank")
    driver = playground("#dataset=reg_plane&layers=8:relu,8:relu,8:relu&lr=10&batch=1")
    wait_for(driver, "window.actlabPlayground.state.setup.learning_rate === 10")
    click(driver, "#play")
    wait_for(driver, "window.actlabPlayground.frame.nets[0].diverged", timeout=60)
    assert driver.find_element("css selector", '.net[data-net="0"] .diverged').is_displayed()
    shot(driver, "diverged")
    click(driver, "#reset")
    wait_for(driver, "!window.actlabPlayground.frame.nets[0].diverged")
    assert not console_errors(driver)


def test_dead_and_saturated_neurons_are_highlighted(playground, served) -> None:
    driver = playground("#dataset=circle&layers=3:relu,2:sigmoid&lr=0.03&opt=sgd")
    wait_for(driver, "window.actlabPlayground.state.setup.layers.length === 2")
    session = served.app.state.sessions.open[page_state(driver, "hello.session")].session
    model = session.run.trainers[0].model
    with torch.no_grad():  # relu neuron 1 never fires on the plane; sigmoid neuron 2 is pinned at 1
        model[0].weight[0] = 0.0
        model[0].bias[0] = -1.0
        model[2].weight[1] = 0.0
        model[2].bias[1] = 50.0
    click(driver, "#step")
    wait_for(driver, "window.actlabPlayground.frame.epoch >= 1")
    wait_for(driver, "document.querySelectorAll('.neuron.dead').length > 0")
    first = driver.find_elements("css selector", '.hidden-layer[data-layer="0"] .neuron')
    second = driver.find_elements("css selector", '.hidden-layer[data-layer="1"] .neuron')
    assert "dead" in first[0].get_attribute("class")
    assert "saturated" in second[1].get_attribute("class")
    assert "dead" in first[0].get_attribute("title")
    summary = driver.find_element("id", "layer_diagnostics").text
    assert "layer 1: 33 % dead" in summary  # actlab.diagnose's share, fresh after a step
    squares = driver.find_elements("css selector", ".neuron .bias")
    biases = [square.get_attribute("title") for square in squares]
    assert len(biases) == 3 + 2 + 1 and all(t.startswith("bias ") for t in biases)
    assert "bias -1.000" in biases[0]
    shot(driver, "dead_and_saturated")
    assert not console_errors(driver)
