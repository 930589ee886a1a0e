"""From findings to 整改: waivers, baselines, the findings store and the review page.

Why a stage of its own, after checking: checking says what is wrong with the
records; review says what the evaluation team has done about it since
(explained, repeated, rectified) and keeps the trail. It marks a checked run
(:func:`compliance.review.run.review_run`) with the statuses that
:mod:`compliance.checking.status` defines; checking never imports it.
"""
