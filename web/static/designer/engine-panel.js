/* The modeler in the engine's language: bpmn-js / dmn-js modules that translate the palette,
   context pad and properties panel (FW_ZH, the Chinese dictionary, when the page is Chinese)
   and reduce the properties panel to what the engine executes. */
window.FWEnginePanel = (function () {
  'use strict';

  /* bpmn-js's `translate` service replaced: the dictionary's text, {placeholders} filled. */
  function translateModule(dictionary) {
    function translate(template, replacements) {
      var text = (dictionary && dictionary[template]) || template;
      return text.replace(/{([^}]+)}/g, function (match, key) {
        return replacements && key in replacements ? replacements[key] : match;
      });
    }
    return {translate: ['value', translate]};
  }

  /* Property groups the engine honours, and for some the entries kept (null: all of them).
     Everything else the Camunda provider offers (asynchronous continuations, listeners,
     input/output mappings, job execution, external tasks ...) is not executed: hidden. */
  var KEEP = {
    general: ['name', 'id', 'processId', 'processName', 'isExecutable', 'participantName',
              'participantId'],
    documentation: null,
    timer: null,
    'CamundaPlatform__UserAssignment': ['assignee', 'candidateGroups'],
    'CamundaPlatform__Form': null,
    'CamundaPlatform__FormData': null,
    'CamundaPlatform__Script': ['scriptFormat', 'scriptType', 'scriptValue'],
    'CamundaPlatform__Condition': null,
    'CamundaPlatform__CallActivity': ['calledElementType', 'calledElement'],
    'CamundaPlatform__Implementation': ['implementationType', 'decisionRef']
  };
  var ONLY_FOR = {'CamundaPlatform__Implementation': 'bpmn:BusinessRuleTask',
                  'CamundaPlatform__CallActivity': 'bpmn:CallActivity'};

  function keepGroup(group, element) {
    if (!(group.id in KEEP)) { return false; }
    var only = ONLY_FOR[group.id];
    return !only || element.type === only;
  }

  function EngineProperties(propertiesPanel) {
    // Below the BPMN (1000) and Camunda (500) providers: runs after both have added groups.
    propertiesPanel.registerProvider(100, this);
  }
  EngineProperties.$inject = ['propertiesPanel'];
  EngineProperties.prototype.getGroups = function (element) {
    return function (groups) {
      return groups.filter(function (g) { return keepGroup(g, element); }).map(function (g) {
        var wanted = KEEP[g.id];
        if (!wanted || !g.entries) { return g; }
        return Object.assign({}, g, {entries: g.entries.filter(function (e) {
          return wanted.indexOf(e.id) >= 0;
        })});
      }).filter(function (g) { return !g.entries || g.entries.length || g.items; });
    };
  };

  var engineModule = {__init__: ['fwEngineProperties'], fwEngineProperties: ['type', EngineProperties]};

  return {translateModule: translateModule, engineModule: engineModule, KEEP: KEEP};
})();
