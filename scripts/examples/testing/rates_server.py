"""The loopback stand-in for a third-party exchange-rate API that exchange_rates*.cassette.json
were recorded against (there is no api.rates.example; the key it takes is `demo-key`).
How the cassettes were recorded, from the repository root:

    python3 scripts/examples/testing/rates_server.py 8765 &
    cp scripts/examples/testing/connections.toml /tmp/rec.toml
    echo 'api_url = "http://127.0.0.1:8765"' >> /tmp/rec.toml    # `rates` now goes to loopback
    dg connections connect rates --value apikey=demo-key --connections /tmp/rec.toml
    dg run scripts/examples/testing/exchange_rates.dg --function convertOrder \
        --arg order='{"id":"SO-88","currency":"EUR","total":1250,"pay_in":"USD"}' \
        --connections /tmp/rec.toml --record scripts/examples/testing/exchange_rates.cassette.json

(the same for exchange_rates_unknown_currency.dg with its header's --arg). The cassette keeps
the URL as the script names it (https://api.rates.example/...), not the api_url it went to,
and `apikey=***` in place of the key.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

RATES = {"EUR": {"USD": 1.0842, "GBP": 0.8571, "CHF": 0.9413}}


class Rates(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        if q.get("apikey") != "demo-key":
            return self.answer(401, {"error": "invalid_api_key"})
        if url.path != "/v1/latest":
            return self.answer(404, {"error": "not_found"})
        base = q.get("base", "EUR")
        if base not in RATES:
            return self.answer(422, {"error": "unknown_currency", "message": f"unknown base currency {base}"})
        wanted = [s for s in q.get("symbols", "").split(",") if s] or list(RATES[base])
        rates = {s: RATES[base][s] for s in wanted if s in RATES[base]}
        self.answer(200, {"base": base, "date": "2026-12-07", "rates": rates})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", int(sys.argv[1])), Rates).serve_forever()
