//! One conversation selected for a run — scripted turns or a persona — with what it needs
//! to be executed, and the accessors both kinds answer alike (name, tags, weight, where it
//! is written, how many user turns it can have). Plain data, built by the plan.

use crate::suite::{Conversation, Loc, Persona, Suite};
use std::sync::Arc;

/// What drives the user side of a planned conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// `conversations[i]` of the suite: fixed user turns.
    Turns(usize),
    /// `personas[i]` of the suite: messages decided by the user simulator.
    Persona(usize),
}

#[derive(Debug, Clone)]
pub struct PlannedConversation {
    pub suite: Arc<Suite>,
    pub script: Script,
    pub form_id: Arc<str>,
    pub dry_run: bool,
    /// `--streamed` was given: every request of this conversation is streamed.
    pub force_streamed: bool,
    /// How many times a functional run executes it: `--repeat`, else the conversation's
    /// `repeat:`, else the suite default, else 1.
    pub repeat: u32,
    /// The share of its runs that must pass (`min_pass_rate:`, default 1).
    pub min_pass_rate: f64,
}

impl PlannedConversation {
    /// The scripted conversation, when this is one.
    pub fn conversation(&self) -> Option<&Conversation> {
        match self.script {
            Script::Turns(i) => self.suite.conversations.get(i),
            Script::Persona(_) => None,
        }
    }

    /// The persona, when this is one.
    pub fn persona(&self) -> Option<&Persona> {
        match self.script {
            Script::Persona(i) => self.suite.personas.get(i),
            Script::Turns(_) => None,
        }
    }

    pub fn name(&self) -> &str {
        match (self.conversation(), self.persona()) {
            (Some(c), _) => &c.name,
            (_, Some(p)) => &p.name,
            _ => "",
        }
    }

    pub fn loc(&self) -> Loc {
        match (self.conversation(), self.persona()) {
            (Some(c), _) => c.loc.clone(),
            (_, Some(p)) => p.loc.clone(),
            _ => Loc {
                file: self.suite.path.display().to_string().into(),
                line: 0,
                column: 0,
            },
        }
    }

    /// Its `tags:`, as written.
    pub fn tags(&self) -> &[String] {
        match (self.conversation(), self.persona()) {
            (Some(c), _) => &c.tags,
            (_, Some(p)) => &p.tags,
            _ => &[],
        }
    }

    /// Share in a load mix.
    pub fn weight(&self) -> f64 {
        match (self.conversation(), self.persona()) {
            (Some(c), _) => c.weight,
            (_, Some(p)) => p.weight,
            _ => 0.0,
        }
    }

    /// User turns it has (scripted) or may have at most (a persona's `max_turns`).
    pub fn user_turns(&self) -> usize {
        match (self.conversation(), self.persona()) {
            (Some(c), _) => c.turns.len(),
            (_, Some(p)) => p.max_turns as usize,
            _ => 0,
        }
    }

    /// Whether the create is streamed: `--streamed`, else the conversation's `streamed:`,
    /// else the suite default.
    pub fn create_streamed(&self) -> bool {
        self.force_streamed
            || self
                .conversation()
                .and_then(|c| c.streamed)
                .unwrap_or(self.suite.defaults.streamed)
    }

    /// Whether user turn `index` (0-based) is streamed: `--streamed`, else the most
    /// specific `streamed:` of turn, conversation and suite defaults.
    pub fn turn_streamed(&self, index: usize) -> bool {
        let conversation = self.conversation();
        self.force_streamed
            || conversation
                .and_then(|c| c.turns.get(index))
                .and_then(|turn| turn.streamed)
                .or(conversation.and_then(|c| c.streamed))
                .unwrap_or(self.suite.defaults.streamed)
    }
}
