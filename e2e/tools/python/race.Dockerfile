# Two stages install the same 15 packages at once from sdists in the image (PyPI is not
# reachable): pip builds each into a wheel and stores it in its wheel cache, one cache
# (/root/.cache/pip), default sharing.
FROM mountlint-e2e/python AS a
RUN --mount=type=cache,target=/root/.cache/pip pip install --no-index --find-links /sdists $(cd /sdists && ls | sed 's/-1.0.tar.gz//' | head -n 15) && echo a

FROM mountlint-e2e/python AS b
RUN --mount=type=cache,target=/root/.cache/pip pip install --no-index --find-links /sdists $(cd /sdists && ls | sed 's/-1.0.tar.gz//' | head -n 15) && echo b

FROM mountlint-e2e/python
COPY --from=a /etc/hostname /a
COPY --from=b /etc/hostname /b
