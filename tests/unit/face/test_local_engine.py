"""The offline engine (dlib + face_recognition_models) on real photos: detection, match, mismatch,
head-turn liveness, and the decision each score leads to at the default threshold."""

import pytest

from xueshi_face.data import LIVE, NOT_LIVE, PASSED, decide
from xueshi_face.engines.base import NoFace
from xueshi_face.engines.local import LocalEngine

from .faces import blank, photo, side_by_side


@pytest.fixture(scope="module")
def engine():
    return LocalEngine()


def test_detect_counts_faces(engine):
    assert len(engine.detect(photo("person_a_enrol"))) == 1
    assert len(engine.detect(side_by_side("person_a_probe", "person_b"))) == 2
    assert engine.detect(blank()) == []


@pytest.mark.parametrize("probe", ["person_a_probe", "person_a_turned"])
def test_another_photo_of_the_same_person_passes(engine, probe):
    comparison = engine.compare(photo("person_a_enrol"), photo(probe))
    assert comparison.score >= engine.default_threshold == 40.0
    assert decide(comparison.score, engine.default_threshold, LIVE, liveness_required=True).decision == PASSED


@pytest.mark.parametrize("other", ["person_b", "person_c"])
def test_another_person_fails(engine, other):
    comparison = engine.compare(photo("person_a_enrol"), photo(other))
    assert comparison.score < engine.default_threshold - 15  # well clear of the threshold


def test_stored_template_scores_like_the_photo(engine):
    template = engine.descriptor(photo("person_a_enrol")).tobytes()
    direct = engine.compare(photo("person_a_enrol"), photo("person_a_probe")).score
    assert engine.compare_template(template, photo("person_a_probe")).score == pytest.approx(direct)


def test_compare_without_a_face_raises(engine):
    with pytest.raises(NoFace):
        engine.compare(photo("person_a_enrol"), blank())


def test_liveness_needs_a_head_turn_of_one_person(engine):
    turned = engine.liveness([photo("person_a_probe"), photo("person_a_turned")], 0.12)
    assert turned.result == LIVE and turned.measure >= 0.12
    still = engine.liveness([photo("person_a_probe"), photo("person_a_probe")], 0.12)
    assert still.result == NOT_LIVE  # the same picture twice: a photo held up to the camera
    swapped = engine.liveness([photo("person_a_turned"), photo("person_b")], 0.12)
    assert swapped.result == NOT_LIVE and "different people" in swapped.detail
