{
  "name": "GET /__name__",
  "item": [
    {
      "name": "get __name__: known item",
      "event": [
        {
          "listen": "test",
          "script": {
            "type": "text/javascript",
            "exec": [
              "pm.test('status is 200', () => pm.response.to.have.status(200));",
              "pm.test('body is the seeded item', () => {",
              "  pm.expect(pm.response.json()).to.include({ id: 'ITEM-1', name: 'First __name__ item' });",
              "});",
              "pm.test('JSON with the request and correlation ids', () => {",
              "  pm.expect(pm.response.headers.get('Content-Type')).to.include('application/json');",
              "  pm.expect(pm.response.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);",
              "  pm.expect(pm.response.headers.get('x-correlation-id')).to.eql(pm.request.headers.get('X-Correlation-Id'));",
              "});"
            ]
          }
        }
      ],
      "request": {
        "method": "GET",
        "header": [{ "key": "X-Correlation-Id", "value": "postman-__name__-0001" }],
        "url": {
          "raw": "{{baseUrl}}/__name__?id=ITEM-1",
          "host": ["{{baseUrl}}"],
          "path": ["__name__"],
          "query": [{ "key": "id", "value": "ITEM-1" }]
        },
        "description": "A seeded item (infra-local/seed/dynamodb/__name__.json). Every call writes an audit item."
      }
    },
    {
      "name": "get __name__: unknown item is 404",
      "event": [
        {
          "listen": "test",
          "script": {
            "type": "text/javascript",
            "exec": [
              "pm.test('status is 404', () => pm.response.to.have.status(404));",
              "pm.test('body is the structured error with the request id', () => {",
              "  const { error } = pm.response.json();",
              "  pm.expect(error.code).to.eql('NOT_FOUND');",
              "  pm.expect(error.requestId).to.eql(pm.response.headers.get('x-request-id'));",
              "});"
            ]
          }
        }
      ],
      "request": {
        "method": "GET",
        "header": [],
        "url": {
          "raw": "{{baseUrl}}/__name__?id=NO-SUCH-ITEM",
          "host": ["{{baseUrl}}"],
          "path": ["__name__"],
          "query": [{ "key": "id", "value": "NO-SUCH-ITEM" }]
        }
      }
    },
    {
      "name": "get __name__: malformed id is 400",
      "event": [
        {
          "listen": "test",
          "script": {
            "type": "text/javascript",
            "exec": [
              "pm.test('status is 400', () => pm.response.to.have.status(400));",
              "pm.test('names the field, never echoes the value', () => {",
              "  const { error } = pm.response.json();",
              "  pm.expect(error.code).to.eql('VALIDATION_ERROR');",
              "  pm.expect(error.details.map((detail) => detail.field)).to.eql(['id']);",
              "  pm.expect(pm.response.text()).to.not.include('<script>');",
              "});"
            ]
          }
        }
      ],
      "request": {
        "method": "GET",
        "header": [],
        "url": {
          "raw": "{{baseUrl}}/__name__?id=%3Cscript%3E",
          "host": ["{{baseUrl}}"],
          "path": ["__name__"],
          "query": [{ "key": "id", "value": "%3Cscript%3E" }]
        }
      }
    }
  ]
}
